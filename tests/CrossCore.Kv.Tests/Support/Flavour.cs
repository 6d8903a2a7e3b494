namespace CrossCore.Kv.Tests.Support;

/// <summary>The server configurations every test runs against.</summary>
public enum Flavour
{
    /// <summary>The sharded store, connections on the thread pool.</summary>
    Sharded,

    /// <summary>The sharded store, connections on the cores in task context.</summary>
    ShardedOnCores,

    /// <summary>The ConcurrentDictionary baseline.</summary>
    Concurrent,
}
