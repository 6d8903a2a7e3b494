namespace CrossCore.Kv;

/// <summary>Which data store a <see cref="KvServer"/> serves from.</summary>
public enum StoreKind
{
    /// <summary>One shard per CrossCore core: each shard is a plain <see cref="Dictionary{TKey, TValue}"/> touched only
    /// by its own core, and every command hops to the owning core with <see cref="CoreSet.InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    Sharded,

    /// <summary>The baseline: one <see cref="System.Collections.Concurrent.ConcurrentDictionary{TKey, TValue}"/> shared by
    /// every connection, no CrossCore.</summary>
    Concurrent,
}
