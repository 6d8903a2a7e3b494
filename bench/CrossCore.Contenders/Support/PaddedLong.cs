using System.Runtime.InteropServices;

namespace CrossCore.Contenders;

/// <summary>A long alone on its cache line (and the adjacent-line prefetcher's pair): 64 bytes before, 56 after.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
public struct PaddedLong
{
    /// <summary>The value, at byte 64 of 128.</summary>
    [FieldOffset(64)]
    public long Value;
}
