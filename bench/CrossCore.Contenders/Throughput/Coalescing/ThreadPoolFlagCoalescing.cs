namespace CrossCore.Contenders;

/// <summary>
/// Coalescing peer: the pattern .NET hand-rolls in its thread pool and sockets engine: <c>if (Interlocked.Exchange(ref
/// scheduled, 1) == 0) ThreadPool.UnsafeQueueUserWorkItem(this)</c>; the work item clears the flag (full fence) and
/// runs.
/// </summary>
public sealed class ThreadPoolFlagCoalescing : ThroughputContender
{
    private readonly Item _item = new();
    private long _runsBefore;

    /// <summary>Creates the reusable work item.</summary>
    public ThreadPoolFlagCoalescing(Placement placement)
        : base(placement, 1)
    {
    }

    /// <inheritdoc/>
    public override string Name => "flag + ThreadPool.UnsafeQueueUserWorkItem (the BCL pattern)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override void BeforeRun() => _runsBefore = Volatile.Read(ref _item.Runs.Value);

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtra("runs_per_op", (double)(Volatile.Read(ref _item.Runs.Value) - _runsBefore) / ops);

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
            if (Interlocked.Exchange(ref item.Scheduled.Value, 1) == 0)
            {
                Interlocked.Increment(ref item.Queued.Value);
                ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            }
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (Volatile.Read(ref _item.Finished.Value) != Volatile.Read(ref _item.Queued.Value))
        {
            Spin.Pause(ref spin);
        }
    }

    private sealed class Item : IThreadPoolWorkItem
    {
        public PaddedLong Scheduled;
        public PaddedLong Queued;
        public PaddedLong Runs;
        public PaddedLong Finished;

        public void Execute()
        {
            Interlocked.Exchange(ref Scheduled.Value, 0); // full fence: a queue after this point schedules again
            Interlocked.Increment(ref Runs.Value);        // the "function"
            Interlocked.Increment(ref Finished.Value);
        }
    }
}
