using System.Net;
using System.Net.Sockets;
using System.Text;

namespace CrossCore.Kv.Tests.Support;

/// <summary>
/// A bare RESP2 client over a socket: writes whatever bytes a test wants (well-formed, malformed, cut off) and reads
/// replies as .NET values: a simple string as <see cref="string"/>, an error as <see cref="RespError"/>, an integer as
/// <see cref="long"/>, a bulk string as <c>byte[]?</c>, an array as <c>object?[]</c>. Reads give up after
/// <see cref="s_readTimeout"/> (a guard against a hung test, not an assertion about time).
/// </summary>
public sealed class RawRespClient : IAsyncDisposable
{
    private static readonly TimeSpan s_readTimeout = TimeSpan.FromSeconds(60);
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawRespClient(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    /// <summary>Connects to <paramref name="endPoint"/>.</summary>
    public static async Task<RawRespClient> ConnectAsync(IPEndPoint endPoint)
    {
        var socket = new Socket(endPoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(endPoint);
        return new RawRespClient(socket);
    }

    /// <summary>The RESP encoding of a command.</summary>
    public static byte[] Encode(params string[] arguments)
    {
        var text = new StringBuilder();
        text.Append('*').Append(arguments.Length).Append("\r\n");
        foreach (var argument in arguments)
        {
            text.Append('$').Append(Encoding.Latin1.GetByteCount(argument)).Append("\r\n").Append(argument).Append("\r\n");
        }
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>Sends raw bytes.</summary>
    public async Task SendAsync(byte[] bytes) => await _stream.WriteAsync(bytes);

    /// <summary>Sends a command and reads its reply.</summary>
    public async Task<object?> CallAsync(params string[] arguments)
    {
        await SendAsync(Encode(arguments));
        return await ReadReplyAsync();
    }

    /// <summary>Reads one reply.</summary>
    /// <exception cref="EndOfStreamException">The server closed the connection.</exception>
    public async Task<object?> ReadReplyAsync()
    {
        var line = await ReadLineAsync();
        var body = line[1..];
        switch (line[0])
        {
            case '+': return body;
            case '-': return new RespError(body);
            case ':': return long.Parse(body, System.Globalization.CultureInfo.InvariantCulture);
            case '$':
                var length = int.Parse(body, System.Globalization.CultureInfo.InvariantCulture);
                if (length < 0)
                {
                    return null;
                }
                var bytes = await ReadExactAsync(length + 2);
                return bytes[..length];
            case '*':
                var count = int.Parse(body, System.Globalization.CultureInfo.InvariantCulture);
                if (count < 0)
                {
                    return null;
                }
                var items = new object?[count];
                for (var i = 0; i < count; i++)
                {
                    items[i] = await ReadReplyAsync();
                }
                return items;
            default:
                throw new InvalidDataException($"not a RESP reply: {line}");
        }
    }

    /// <summary>Waits for the next read: true if the server closed (or reset) the connection, false if a reply is
    /// still buffered or more data arrived.</summary>
    public async Task<bool> IsClosedByServerAsync()
    {
        if (_end > _start)
        {
            return false;
        }
        using var timeout = new CancellationTokenSource(s_readTimeout);
        try
        {
            return await _stream.ReadAsync(_buffer, timeout.Token) == 0;
        }
        catch (IOException)
        {
            return true; // reset by the server
        }
    }

    /// <summary>Closes the connection abruptly (a reset, not an orderly close), as a crashing client would.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _stream.DisposeAsync();

    private async Task<string> ReadLineAsync()
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _end - _start);
            var newline = span.IndexOf("\r\n"u8);
            if (newline >= 0)
            {
                var line = Encoding.Latin1.GetString(span[..newline]);
                _start += newline + 2;
                return line;
            }
            await FillAsync();
        }
    }

    private async Task<byte[]> ReadExactAsync(int count)
    {
        var result = new byte[count];
        var copied = 0;
        while (copied < count)
        {
            if (_end == _start)
            {
                await FillAsync();
            }
            var n = Math.Min(count - copied, _end - _start);
            _buffer.AsSpan(_start, n).CopyTo(result.AsSpan(copied));
            _start += n;
            copied += n;
        }
        return result;
    }

    private async Task FillAsync()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length)
        {
            throw new InvalidDataException("reply line longer than the client's buffer");
        }
        using var timeout = new CancellationTokenSource(s_readTimeout);
        var n = await _stream.ReadAsync(_buffer.AsMemory(_end), timeout.Token);
        if (n == 0)
        {
            throw new EndOfStreamException("the server closed the connection");
        }
        _end += n;
    }
}
