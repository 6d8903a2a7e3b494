using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// 128 bytes of nothing, the last field of a class whose first fields are written by one thread and read by another:
/// the runtime lays value-type fields out after the references and primitives, so the padding separates those hot
/// fields from whatever is allocated next (two lines, against the adjacent-line prefetcher).
/// </summary>
[StructLayout(LayoutKind.Sequential, Size = 128)]
internal struct CacheLinePadding
{
}
