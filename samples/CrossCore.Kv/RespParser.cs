using System.Buffers;

namespace CrossCore.Kv;

/// <summary>
/// Reads client commands in RESP2: a multi-bulk array of bulk strings (<c>*2\r\n$3\r\nGET\r\n$1\r\nk\r\n</c>), or an
/// inline command (<c>PING\r\n</c>, which redis-benchmark's PING_INLINE sends). Lengths are bounded, so a hostile or
/// broken client gets an error instead of making the server buffer without end.
/// </summary>
internal static class RespParser
{
    /// <summary>The most arguments one command may have.</summary>
    public const int MaxArguments = 1024 * 1024;

    /// <summary>The largest bulk string accepted (Redis allows 512 MB; a sample needs less).</summary>
    public const int MaxBulkLength = 64 * 1024 * 1024;

    /// <summary>The longest inline command, and so the longest a header line may grow while its end is awaited.</summary>
    public const int MaxInlineLength = 64 * 1024;

    /// <summary>A header line (<c>*N</c> or <c>$N</c>) longer than this is malformed.</summary>
    private const int MaxHeaderLength = 32;

    /// <summary>
    /// Parses one command at the start of <paramref name="buffer"/> into <paramref name="arguments"/> (cleared first).
    /// On <see cref="ParseStatus.Complete"/> the buffer is advanced past it; on <see cref="ParseStatus.Malformed"/>,
    /// <paramref name="error"/> says why.
    /// </summary>
    public static ParseStatus TryParse(ref ReadOnlySequence<byte> buffer, List<byte[]> arguments, out string? error)
    {
        arguments.Clear();
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryPeek(out var first))
        {
            return ParseStatus.Incomplete;
        }
        var status = first == (byte)'*'
            ? ParseMultiBulk(ref reader, arguments, out error)
            : ParseInline(ref reader, arguments, out error);
        if (status == ParseStatus.Complete)
        {
            buffer = buffer.Slice(reader.Position);
        }
        else
        {
            arguments.Clear();
        }
        return status;
    }

    private static ParseStatus ParseMultiBulk(ref SequenceReader<byte> reader, List<byte[]> arguments, out string? error)
    {
        reader.Advance(1); // '*'
        var header = ReadHeader(ref reader, out var count, out error, "invalid multibulk length");
        if (header != ParseStatus.Complete)
        {
            return header;
        }
        if (count > MaxArguments)
        {
            error = "Protocol error: invalid multibulk length";
            return ParseStatus.Malformed;
        }
        for (var i = 0; i < count; i++)
        {
            if (!reader.TryRead(out var marker))
            {
                return ParseStatus.Incomplete;
            }
            if (marker != (byte)'$')
            {
                error = $"Protocol error: expected '$', got '{(char)marker}'";
                return ParseStatus.Malformed;
            }
            header = ReadHeader(ref reader, out var length, out error, "invalid bulk length");
            if (header != ParseStatus.Complete)
            {
                return header;
            }
            if (length < 0 || length > MaxBulkLength)
            {
                error = "Protocol error: invalid bulk length";
                return ParseStatus.Malformed;
            }
            if (reader.Remaining < length + 2)
            {
                return ParseStatus.Incomplete;
            }
            var argument = new byte[length];
            reader.TryCopyTo(argument);
            reader.Advance(length);
            if (!reader.IsNext("\r\n"u8, advancePast: true))
            {
                error = "Protocol error: bulk string not terminated by CRLF";
                return ParseStatus.Malformed;
            }
            arguments.Add(argument);
        }
        return ParseStatus.Complete; // count <= 0 is an empty command, which Redis ignores
    }

    /// <summary>Reads the decimal of a <c>*N</c> or <c>$N</c> line, up to and past its CRLF.</summary>
    private static ParseStatus ReadHeader(ref SequenceReader<byte> reader, out long value, out string? error, string what)
    {
        value = 0;
        error = null;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (reader.Remaining > MaxHeaderLength)
            {
                error = "Protocol error: " + what;
                return ParseStatus.Malformed;
            }
            return ParseStatus.Incomplete;
        }
        Span<byte> digits = stackalloc byte[MaxHeaderLength];
        if (line.Length < 2 || line.Length > MaxHeaderLength)
        {
            error = "Protocol error: " + what;
            return ParseStatus.Malformed;
        }
        line.CopyTo(digits);
        var text = digits[..(int)line.Length];
        if (text[^1] != (byte)'\r' || !Integers.TryParse(text[..^1], out value))
        {
            error = "Protocol error: " + what;
            return ParseStatus.Malformed;
        }
        return ParseStatus.Complete;
    }

    /// <summary>An inline command: one line, arguments separated by spaces or tabs (no quoting, unlike Redis).</summary>
    private static ParseStatus ParseInline(ref SequenceReader<byte> reader, List<byte[]> arguments, out string? error)
    {
        error = null;
        if (!reader.TryReadTo(out ReadOnlySequence<byte> line, (byte)'\n'))
        {
            if (reader.Remaining > MaxInlineLength)
            {
                error = "Protocol error: too big inline request";
                return ParseStatus.Malformed;
            }
            return ParseStatus.Incomplete;
        }
        if (line.Length > MaxInlineLength)
        {
            error = "Protocol error: too big inline request";
            return ParseStatus.Malformed;
        }
        var text = line.ToArray().AsSpan();
        if (text.Length > 0 && text[^1] == (byte)'\r')
        {
            text = text[..^1];
        }
        while (!text.IsEmpty)
        {
            var start = text.IndexOfAnyExcept((byte)' ', (byte)'\t');
            if (start < 0)
            {
                break;
            }
            text = text[start..];
            var end = text.IndexOfAny((byte)' ', (byte)'\t');
            if (end < 0)
            {
                end = text.Length;
            }
            arguments.Add(text[..end].ToArray());
            text = text[end..];
        }
        return ParseStatus.Complete;
    }
}
