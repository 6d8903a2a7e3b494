using System.Globalization;
using System.Runtime.InteropServices;

namespace CrossCore.Kv;

/// <summary>
/// <c>dotnet run -c Release --project samples/CrossCore.Kv -- [--port 6380] [--store sharded|concurrent] [--cores N] [--connections pool|cores] [--pin]</c>.
/// Serves on loopback until Ctrl-C or SIGTERM, then prints the CrossCore counters.
/// </summary>
internal static class Program
{
    private const string Usage =
        "usage: CrossCore.Kv [--port N (6380)] [--store sharded|concurrent (sharded)] [--cores N (CPUs)] [--connections pool|cores (pool)] [--pin] [--bind ADDRESS (127.0.0.1)]";

    private static async Task<int> Main(string[] args)
    {
        KvServerOptions options;
        try
        {
            options = Parse(args);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or IndexOutOfRangeException)
        {
            await Console.Error.WriteLineAsync($"kv: {ex.Message}\n{Usage}");
            return 2;
        }

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });

        await using var server = KvServer.Start(options);
        await Console.Out.WriteLineAsync(
            $"kv: {options.Store.ToString().ToLowerInvariant()} store on {server.EndPoint}" +
            (options.Store == StoreKind.Sharded ? $", {options.Cores} cores, connections on {(options.Connections == ConnectionPlacement.Cores ? "the cores" : "the thread pool")}" : "") +
            "; Ctrl-C stops");
        await stop.Task;

        var commands = server.CommandsProcessed;
        if (server.GetCoreStatistics() is { } s)
        {
            var perRequest = commands == 0 ? 0 : (double)s.WakeupsSent / commands;
            await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"kv: {commands} commands; wake-ups sent {s.WakeupsSent} ({perRequest:F3} per command), avoided {s.WakeupsAvoided}; " +
                $"batches {s.Batches}, mean batch {s.MeanBatch:F2}, max {s.MaxBatch}; deferred runs {s.DeferredRuns}, coalesced {s.CoalescedQueues}"));
        }
        else
        {
            await Console.Out.WriteLineAsync($"kv: {commands} commands");
        }
        return 0;
    }

    private static KvServerOptions Parse(string[] args)
    {
        var defaults = new KvServerOptions();
        var (address, port, store, cores, pin) = (defaults.Address, defaults.Port, defaults.Store, defaults.Cores, defaults.Pin);
        var connections = defaults.Connections;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--port": port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--store": store = ParseStore(args[++i]); break;
                case "--cores": cores = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--connections": connections = ParseConnections(args[++i]); break;
                case "--pin": pin = true; break;
                case "--bind": address = System.Net.IPAddress.Parse(args[++i]); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'");
            }
        }
        if (cores < 1)
        {
            throw new ArgumentException("--cores must be at least 1");
        }
        return new KvServerOptions { Address = address, Port = port, Store = store, Cores = cores, Pin = pin, Connections = connections };
    }

    private static ConnectionPlacement ParseConnections(string value) => value.ToLowerInvariant() switch
    {
        "pool" => ConnectionPlacement.ThreadPool,
        "cores" => ConnectionPlacement.Cores,
        _ => throw new ArgumentException($"unknown connection placement '{value}' (pool or cores)"),
    };

    private static StoreKind ParseStore(string value) => value.ToLowerInvariant() switch
    {
        "sharded" or "crosscore" => StoreKind.Sharded,
        "concurrent" or "baseline" => StoreKind.Concurrent,
        _ => throw new ArgumentException($"unknown store '{value}' (sharded or concurrent)"),
    };
}
