using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>An <see cref="int"/> alone on its cache line (64 bytes before and after), against false sharing.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedInt32
{
    /// <summary>The value.</summary>
    [FieldOffset(64)]
    public int Value;
}
