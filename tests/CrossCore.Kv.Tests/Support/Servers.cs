using StackExchange.Redis;

namespace CrossCore.Kv.Tests.Support;

/// <summary>Starts an in-process server on a free loopback port and connects StackExchange.Redis to it.</summary>
public static class Servers
{
    /// <summary>Every flavour, for <c>[MemberData]</c>.</summary>
    public static TheoryData<Flavour> Stores => new(Enum.GetValues<Flavour>());

    /// <summary>A server on 127.0.0.1 with a port the system picks; the sharded store gets 2 cores (4 would oversubscribe
    /// this machine without testing anything more).</summary>
    public static KvServer Start(Flavour flavour, int cores = 2) =>
        KvServer.Start(new KvServerOptions
        {
            Port = 0,
            Store = flavour == Flavour.Concurrent ? StoreKind.Concurrent : StoreKind.Sharded,
            Connections = flavour == Flavour.ShardedOnCores ? ConnectionPlacement.Cores : ConnectionPlacement.ThreadPool,
            Cores = cores,
            SweepPeriod = TimeSpan.FromMilliseconds(20),
        });

    /// <summary>StackExchange.Redis, told what this small server does not have (no pub/sub, no cluster, no replicas).</summary>
    public static async Task<ConnectionMultiplexer> ConnectAsync(KvServer server)
    {
        var options = new ConfigurationOptions
        {
            EndPoints = { server.EndPoint },
            Protocol = RedisProtocol.Resp2,
            AbortOnConnectFail = true,
            ConnectTimeout = 60_000,
            SyncTimeout = 60_000,
            AsyncTimeout = 60_000,
            ConfigurationChannel = "",
            TieBreaker = "",
            CommandMap = CommandMap.Create(["SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "CLUSTER", "SENTINEL"], available: false),
        };
        return await ConnectionMultiplexer.ConnectAsync(options);
    }
}
