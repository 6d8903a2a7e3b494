using System.IO.Pipelines;
using System.Net.Sockets;

namespace CrossCore.Kv;

/// <summary>
/// One client connection: reads commands from the socket through a <see cref="PipeReader"/>, executes them one after
/// another (replies go out in request order, as RESP requires), and flushes the replies of everything that one read
/// brought in at once, so a pipelining client gets one write per batch. Its failures end this connection only.
/// </summary>
internal sealed class Connection(Socket socket, CommandExecutor executor, ServerCounters counters)
{
    private readonly List<byte[]> _arguments = [];

    /// <summary>Serves the client until it closes, breaks the protocol, sends QUIT, or <see cref="Abort"/> is called.</summary>
    public async Task RunAsync()
    {
        counters.Opened();
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var reader = PipeReader.Create(stream);
        var writer = PipeWriter.Create(stream);
        Exception? failure = null;
        try
        {
            await ServeAsync(reader, writer);
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The client went away (mid-command, possibly) or the server is stopping: this connection ends, and
            // nothing else is touched. A command it had sent ran or did not run as a whole on its core.
            failure = ex;
            counters.Aborted();
        }
        catch (Exception ex)
        {
            // A bug of this server's: it ends this connection only, and says so.
            failure = ex;
            counters.Aborted();
            await Console.Error.WriteLineAsync($"kv: connection failed: {ex}");
        }
        finally
        {
            counters.Closed();
            await reader.CompleteAsync(failure);
            try
            {
                // Completing flushes what is still buffered; to a client that is gone that fails, and must not escape
                // (it once did, and the connection was never counted as closed).
                await writer.CompleteAsync(failure);
            }
            catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException)
            {
                // the client is gone; nothing more to tell it
            }
        }
    }

    /// <summary>Closes the socket under a connection that is waiting for input (the server stops).</summary>
    public void Abort() => socket.Close();

    private async Task ServeAsync(PipeReader reader, PipeWriter writer)
    {
        while (true)
        {
            var read = await reader.ReadAsync();
            var buffer = read.Buffer;
            var open = true;
            while (open)
            {
                var status = RespParser.TryParse(ref buffer, _arguments, out var error);
                if (status == ParseStatus.Incomplete)
                {
                    break;
                }
                if (status == ParseStatus.Malformed)
                {
                    // As Redis: say why, then close, since the stream can no longer be framed.
                    counters.ProtocolError();
                    writer.WriteError("ERR " + error);
                    open = false;
                    break;
                }
                if (_arguments.Count > 0)
                {
                    open = await executor.ExecuteAsync(_arguments, writer);
                }
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (writer.UnflushedBytes > 0)
            {
                await writer.FlushAsync();
            }
            if (!open || read.IsCompleted)
            {
                return; // a command cut off by the end of the stream is dropped, as nothing of it was executed
            }
        }
    }
}
