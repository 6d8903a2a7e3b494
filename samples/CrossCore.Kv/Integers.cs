using System.Buffers.Text;

namespace CrossCore.Kv;

/// <summary>The integer rules of INCR and friends: a value is an integer if it is exactly a signed 64-bit decimal.</summary>
internal static class Integers
{
    /// <summary>Parses the whole of <paramref name="value"/> as a signed 64-bit decimal.</summary>
    public static bool TryParse(ReadOnlySpan<byte> value, out long result) =>
        Utf8Parser.TryParse(value, out result, out var consumed) && value.Length > 0 && consumed == value.Length;

    /// <summary><paramref name="a"/> + <paramref name="b"/>, or false on overflow.</summary>
    public static bool TryAdd(long a, long b, out long sum)
    {
        sum = unchecked(a + b);
        // Overflow iff both operands have the same sign and the sum's sign differs.
        return ((a ^ sum) & (b ^ sum)) >= 0;
    }

    /// <summary>The decimal bytes of <paramref name="value"/>, as a new array (stored values are never shared mutably).</summary>
    public static byte[] ToBytes(long value)
    {
        Span<byte> buffer = stackalloc byte[20];
        value.TryFormat(buffer, out var written, default, System.Globalization.CultureInfo.InvariantCulture);
        return buffer[..written].ToArray();
    }
}
