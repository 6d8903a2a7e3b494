using System.Net;

namespace CrossCore.Kv;

/// <summary>Options of a <see cref="KvServer"/>.</summary>
public sealed class KvServerOptions
{
    /// <summary>The address to listen on. Default: loopback (127.0.0.1).</summary>
    public IPAddress Address { get; init; } = IPAddress.Loopback;

    /// <summary>The TCP port; 0 picks a free one (read it back from <see cref="KvServer.EndPoint"/>). Default: 6380.</summary>
    public int Port { get; init; } = 6380;

    /// <summary>The store behind the server. Default: <see cref="StoreKind.Sharded"/>.</summary>
    public StoreKind Store { get; init; } = StoreKind.Sharded;

    /// <summary>How many cores, and so shards, the sharded store uses. Default: <see cref="Environment.ProcessorCount"/>.
    /// Ignored by the baseline.</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>Where connection handlers run with the sharded store. Default: <see cref="ConnectionPlacement.ThreadPool"/>.</summary>
    public ConnectionPlacement Connections { get; init; } = ConnectionPlacement.ThreadPool;

    /// <summary>Pin each core's thread to a hardware CPU (Linux only). Default: false.</summary>
    public bool Pin { get; init; }

    /// <summary>How often the expiry sweep is asked for on every shard. Default: 100 ms (Redis's default <c>hz 10</c>).</summary>
    public TimeSpan SweepPeriod { get; init; } = TimeSpan.FromMilliseconds(100);
}
