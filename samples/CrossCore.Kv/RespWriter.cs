using System.Buffers;
using System.Globalization;
using System.Text;

namespace CrossCore.Kv;

/// <summary>Writes RESP2 replies into a buffer writer (the connection's <see cref="System.IO.Pipelines.PipeWriter"/>).</summary>
internal static class RespWriter
{
    /// <summary><c>+OK</c>.</summary>
    public static void WriteOk(this IBufferWriter<byte> output) => output.Write("+OK\r\n"u8);

    /// <summary>A simple string: <c>+text</c> (the text must hold no CR or LF).</summary>
    public static void WriteSimple(this IBufferWriter<byte> output, string text)
    {
        output.Write("+"u8);
        WriteAscii(output, text);
        output.Write("\r\n"u8);
    }

    /// <summary>An error: <c>-</c> and the message, which starts with its code (<c>ERR wrong number ...</c>). CR and LF in
    /// the message become spaces.</summary>
    public static void WriteError(this IBufferWriter<byte> output, string message)
    {
        output.Write("-"u8);
        WriteAscii(output, message.Replace('\r', ' ').Replace('\n', ' '));
        output.Write("\r\n"u8);
    }

    /// <summary>An integer: <c>:42</c>.</summary>
    public static void WriteInteger(this IBufferWriter<byte> output, long value)
    {
        var span = output.GetSpan(24);
        span[0] = (byte)':';
        value.TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }

    /// <summary>A bulk string, or the null bulk string (<c>$-1</c>) for null.</summary>
    public static void WriteBulk(this IBufferWriter<byte> output, byte[]? value)
    {
        if (value is null)
        {
            output.Write("$-1\r\n"u8);
            return;
        }
        WriteLength(output, (byte)'$', value.Length);
        output.Write(value);
        output.Write("\r\n"u8);
    }

    /// <summary>A bulk string of ASCII text.</summary>
    public static void WriteBulk(this IBufferWriter<byte> output, string text) => WriteBulk(output, Encoding.Latin1.GetBytes(text));

    /// <summary>The header of an array of <paramref name="count"/> elements, which the caller writes next.</summary>
    public static void WriteArrayHeader(this IBufferWriter<byte> output, int count) => WriteLength(output, (byte)'*', count);

    private static void WriteLength(IBufferWriter<byte> output, byte marker, int length)
    {
        var span = output.GetSpan(16);
        span[0] = marker;
        length.TryFormat(span[1..], out var written, default, CultureInfo.InvariantCulture);
        span[1 + written] = (byte)'\r';
        span[2 + written] = (byte)'\n';
        output.Advance(3 + written);
    }

    private static void WriteAscii(IBufferWriter<byte> output, string text)
    {
        var span = output.GetSpan(text.Length);
        var written = Encoding.Latin1.GetBytes(text, span);
        output.Advance(written);
    }
}
