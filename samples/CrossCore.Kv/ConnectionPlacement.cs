namespace CrossCore.Kv;

/// <summary>Where the sharded server runs its connection handlers (parsing, replies, socket I/O).</summary>
public enum ConnectionPlacement
{
    /// <summary>On the thread pool: every command is a hop from a pool thread to the key's core and back.</summary>
    ThreadPool,

    /// <summary>On the cores themselves, spread round-robin, in task context (<see cref="CoreSet.RunAsync{TState}(int, Func{TState, Task}, TState, CancellationToken)"/>),
    /// as Seastar and Dragonfly do: a command on a key of the connection's own core runs inline, any other key is a
    /// hop core to core, and the continuation resumes on the connection's core. Ignored by the baseline.</summary>
    Cores,
}
