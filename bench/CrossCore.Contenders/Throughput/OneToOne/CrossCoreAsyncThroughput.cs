namespace CrossCore.Contenders;

/// <summary>
/// P2: <c>TryPost(core, descriptor)</c> from each sender, cycling its own pool of reused
/// <see cref="CallDescriptor{TState}"/>s, to core 1. A sender that laps the pool (the core is slower than the sender)
/// gets <c>Busy</c>, waits until the descriptor is free (reading it) and queues it again: every item runs. Busy
/// answers are counted (busy_per_op).
/// </summary>
public sealed class CrossCoreAsyncThroughput : CrossCoreThroughputContender
{
    private const int PoolSize = 256;
    private readonly CallDescriptor<PaddedCounter>[][] _pools;
    private readonly int[] _cursor;

    /// <summary>Starts a two-core set (core 1 on the partner CPU) and the descriptor pools.</summary>
    public CrossCoreAsyncThroughput(Placement placement, int senders = 1, string name = "bench async")
        : base(placement, senders, name)
    {
        _pools = DescriptorPools(PoolSize);
        _cursor = new int[senders * 16];
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore TryPost (reused descriptors)";

    /// <inheritdoc/>
    protected override void BeginConsumer() => WarmUp();

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var set = Set;
        var pool = _pools[sender];
        var cursor = _cursor[sender * 16];
        for (var i = 0; i < count; i++)
        {
            PostReused(set, pool[cursor++ & (PoolSize - 1)]); // Busy: the sender lapped the pool
        }

        _cursor[sender * 16] = cursor;
    }
}
