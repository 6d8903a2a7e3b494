using System.Runtime.InteropServices;

namespace CrossCore.Contenders;

/// <summary>
/// Coalescing floor: the irq_work claim protocol on one padded flags word and nothing else. The sender claims with
/// one atomic OR of pending|busy (it "queues" only if pending was clear); a consumer thread spinning on the word
/// clears pending, fences, runs, and clears busy with a CAS. Time per queue attempt; runs per attempt shows the
/// coalescing.
/// </summary>
public sealed class RawFlagCoalescing : ThroughputContender
{
    private const int Pending = 1;
    private const int Busy = 2;
    private readonly Flags _flags = new();
    private readonly PaddedCounter _runs = new();
    private readonly Partner _consumer;
    private long _runsBefore;

    /// <summary>Creates the consumer thread on the partner CPU.</summary>
    public RawFlagCoalescing(Placement placement)
        : base(placement, 1) =>
        _consumer = new Partner("raw flag consumer", placement.PartnerCpu);

    /// <inheritdoc/>
    public override string Name => "raw claim flag (atomic OR) + spinning runner";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    public override string? PinningError => _consumer.PinningError;

    /// <inheritdoc/>
    public override void BeforeRun() => _runsBefore = _runs.Read();

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtra("runs_per_op", (double)(_runs.Read() - _runsBefore) / ops);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _consumer.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override void BeginConsumer() => _consumer.Start(Consume);

    /// <inheritdoc/>
    protected override void EndConsumer() => _consumer.Stop();

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var flags = _flags;
        for (var i = 0; i < count; i++)
        {
            Interlocked.Or(ref flags.Line.Word, Pending | Busy);
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (Volatile.Read(ref _flags.Line.Word) != 0)
        {
            Spin.Pause(ref spin);
        }
    }

    private void Consume(Partner self)
    {
        var flags = _flags;
        var runs = _runs.Read();
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            var word = Volatile.Read(ref flags.Line.Word);
            if ((word & Pending) != 0)
            {
                var cleared = word & ~Pending;
                Volatile.Write(ref flags.Line.Word, cleared);
                Interlocked.MemoryBarrier();
                Volatile.Write(ref _runs.Value, ++runs); // the "function"
                Interlocked.CompareExchange(ref flags.Line.Word, cleared & ~Busy, cleared);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private sealed class Flags
    {
        public PaddedInt Line;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)]
        public int Word;
    }
}

/// <summary>
/// Coalescing: <see cref="DeferredWork{TState}"/>.<c>QueueOn(core)</c> in a loop to core 1; a queue while the work
/// is pending coalesces (returns <c>Coalesced</c>); the function counts its runs.
/// </summary>
public sealed class CrossCoreDeferredCoalescing : ThroughputContender
{
    private const int Target = 1;
    private readonly CoreSet _set;
    private readonly PaddedCounter _runs = new();
    private readonly DeferredWork<PaddedCounter> _work;
    private readonly StatsProbe _probe;
    private long _runsBefore;

    /// <summary>Starts a two-core set (core 1 on the partner CPU) and the reusable work.</summary>
    public CrossCoreDeferredCoalescing(Placement placement)
        : base(placement, 1)
    {
        _set = new CoreSet(placement.CoreSetOptions("bench deferred", 2));
        _work = new DeferredWork<PaddedCounter>(_set, static c => c.Increment(), _runs, DeferredWorkOptions.None, Target);
        _probe = new StatsProbe(_set);
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore DeferredWork.QueueOn (coalescing)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override string? PinningError => _set.GetCoreInfo(Target).PinningError;

    /// <inheritdoc/>
    public override void BeforeRun()
    {
        _runsBefore = _runs.Read();
        _probe.Before();
    }

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        SetExtra("runs_per_op", (double)(_runs.Read() - _runsBefore) / ops);
        foreach (var (key, value) in _probe.After(ops))
        {
            SetExtra(key, value);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        _set.Dispose();
    }

    /// <inheritdoc/>
    protected override void BeginConsumer()
    {
        _work.QueueOn(Target); // wake the core: it polls now
        WaitConsumed(0);
    }

    /// <inheritdoc/>
    protected override void EndConsumer()
    {
    }

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var work = _work;
        for (var i = 0; i < count; i++)
        {
            work.QueueOn(Target);
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (_work.IsBusy)
        {
            Spin.Pause(ref spin);
        }
    }
}

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
