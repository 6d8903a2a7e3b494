using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CrossCore.Kv;

/// <summary>
/// The key-value server: listens on a TCP port, serves each connection on the thread pool, and executes commands on
/// the store chosen by <see cref="KvServerOptions.Store"/>. Start it with <see cref="Start"/>; dispose it to stop.
/// </summary>
public sealed class KvServer : IAsyncDisposable
{
    private readonly Socket _listener;
    private readonly IKvStore _store;
    private readonly ServerCounters _counters = new();
    private readonly CommandExecutor _executor;
    private readonly ConcurrentDictionary<Connection, Task> _connections = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _acceptLoop = Task.CompletedTask;
    private int _disposed;
    private int _nextCore;

    private KvServer(KvServerOptions options)
    {
        _store = options.Store == StoreKind.Sharded
            ? new ShardedStore(options.Cores, options.Pin, options.SweepPeriod)
            : new ConcurrentStore(options.SweepPeriod);
        _executor = new CommandExecutor(_store, _counters, options.Cores);
        _listener = new Socket(options.Address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        Options = options;
    }

    /// <summary>The options the server was started with.</summary>
    public KvServerOptions Options { get; }

    /// <summary>Where the server listens (with the port it got, if <see cref="KvServerOptions.Port"/> was 0).</summary>
    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Commands executed so far.</summary>
    public long CommandsProcessed => _counters.Commands;

    /// <summary>Connections open now.</summary>
    public long ConnectedClients => _counters.Connected;

    /// <summary>Connections whose handler has started, since the server started. A connection counted here is already
    /// counted in <see cref="ConnectedClients"/> (until it closes).</summary>
    public long ConnectionsReceived => _counters.ConnectionsReceived;

    /// <summary>The sharded store's <see cref="CoreSet"/> counters (wake-ups, batches); null for the baseline.</summary>
    public CoreSetStatistics? GetCoreStatistics() => _store.GetCoreStatistics();

    /// <summary>Binds, listens and starts accepting connections.</summary>
    /// <param name="options">The address, port and store.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="SocketException">The port could not be bound.</exception>
    public static KvServer Start(KvServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var server = new KvServer(options);
        try
        {
            server._listener.Bind(new IPEndPoint(options.Address, options.Port));
            server._listener.Listen(512);
        }
        catch
        {
            server._listener.Dispose();
            server._store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
        server._acceptLoop = server.AcceptLoopAsync();
        return server;
    }

    /// <summary>Stops accepting, closes every connection, waits for their handlers, then stops the store.</summary>
    /// <returns>A task that completes when everything has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) // atomic: the first caller disposes; pairs with nothing else
        {
            return;
        }
        await _stopping.CancelAsync();
        _listener.Dispose();
        await _acceptLoop;
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
        }
        await Task.WhenAll(_connections.Values);
        await _store.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
                continue; // a connection that failed during accept: the next one may well succeed
            }
            socket.NoDelay = true;
            var connection = new Connection(socket, _executor, _counters);
            Task handler;
            if (_store is ShardedStore sharded && Options.Connections == ConnectionPlacement.Cores)
            {
                // On a core, in task context: each await in the handler resumes on this core (only the accept loop
                // touches _nextCore).
                var core = _nextCore++ % sharded.Set.Count;
                handler = sharded.Set.RunAsync(core, static c => c.RunAsync(), connection);
            }
            else
            {
                // Task.Run: the handler starts on the pool, so a slow first read never holds up the accept loop.
                handler = Task.Run(connection.RunAsync);
            }
            _connections[connection] = handler;
            _ = handler.ContinueWith(static (_, s) =>
            {
                var (connections, connection) = ((ConcurrentDictionary<Connection, Task>, Connection))s!;
                connections.TryRemove(connection, out Task? _);
            }, (_connections, connection), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }
}
