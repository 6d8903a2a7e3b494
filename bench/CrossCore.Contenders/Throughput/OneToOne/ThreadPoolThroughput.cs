namespace CrossCore.Contenders;

/// <summary>P2 peer: <c>ThreadPool.UnsafeQueueUserWorkItem</c> of one reused <see cref="IThreadPoolWorkItem"/> per item
/// (the pool's workers, which cannot be pinned, take them).</summary>
public sealed class ThreadPoolThroughput : ThroughputContender
{
    private readonly Item _item = new();

    /// <summary>Creates the contender.</summary>
    public ThreadPoolThroughput(Placement placement, int senders = 1)
        : base(placement, senders)
    {
    }

    /// <inheritdoc/>
    public override string Name => "ThreadPool.UnsafeQueueUserWorkItem";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    protected override void BeginConsumer() => BenchAffinity.EnterThreadPoolRegion();

    /// <inheritdoc/>
    protected override void EndConsumer() => BenchAffinity.LeaveThreadPoolRegion(Placement.DriverCpu);

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var item = _item;
        for (var i = 0; i < count; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (Volatile.Read(ref _item.Count.Value) < total)
        {
            Spin.Pause(ref spin);
        }
    }

    private sealed class Item : IThreadPoolWorkItem
    {
        public PaddedLong Count;

        public void Execute() => Interlocked.Increment(ref Count.Value);
    }
}
