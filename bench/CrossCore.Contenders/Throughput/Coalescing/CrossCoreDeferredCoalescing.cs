namespace CrossCore.Contenders;

/// <summary>
/// Coalescing: <see cref="DeferredWork{TState}"/>.<c>QueueOn(core)</c> in a loop to core 1; a queue while the work
/// is pending coalesces (returns <c>Coalesced</c>); the function counts its runs (in <see cref="CrossCoreThroughputContender.Consumed"/>).
/// </summary>
public sealed class CrossCoreDeferredCoalescing : CrossCoreThroughputContender
{
    private readonly DeferredWork<PaddedCounter> _work;
    private long _runsBefore;

    /// <summary>Starts a two-core set (core 1 on the partner CPU) and the reusable work.</summary>
    public CrossCoreDeferredCoalescing(Placement placement)
        : base(placement, 1, "bench deferred")
    {
        _work = new DeferredWork<PaddedCounter>(Set, static c => c.Increment(), Consumed, DeferredWorkOptions.None, Target);
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore DeferredWork.QueueOn (coalescing)";

    /// <inheritdoc/>
    public override void BeforeRun()
    {
        _runsBefore = Consumed.Read();
        base.BeforeRun();
    }

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        SetExtra("runs_per_op", (double)(Consumed.Read() - _runsBefore) / ops);
        base.AfterRun(ops);
    }

    /// <inheritdoc/>
    protected override void BeginConsumer()
    {
        _work.QueueOn(Target); // wake the core: it polls now
        WaitConsumed(0);
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
