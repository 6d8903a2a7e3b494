namespace CrossCore.Contenders;

/// <summary>
/// P2: <c>TryPost(core, descriptor)</c> from each sender, cycling its own pool of reused
/// <see cref="CallDescriptor{TState}"/>s, to core 1. A sender that laps the pool (the core is slower than the sender)
/// gets <c>Busy</c>, waits until the descriptor is free (reading it) and queues it again: every item runs. Busy
/// answers are counted (busy_per_op).
/// </summary>
public sealed class CrossCoreAsyncThroughput : ThroughputContender
{
    private const int Target = 1;
    private const int PoolSize = 256;
    private readonly CoreSet _set;
    private readonly PaddedCounter _consumed = new();
    private readonly CallDescriptor<PaddedCounter>[][] _pools;
    private readonly int[] _cursor;
    private readonly StatsProbe _probe;
    private long _warm;

    /// <summary>Starts a two-core set (core 1 on the partner CPU) and the descriptor pools.</summary>
    public CrossCoreAsyncThroughput(Placement placement, int senders = 1, string name = "bench async")
        : base(placement, senders)
    {
        _set = new CoreSet(placement.CoreSetOptions(name, 2));
        _probe = new StatsProbe(_set);
        _pools = new CallDescriptor<PaddedCounter>[senders][];
        for (var s = 0; s < senders; s++)
        {
            _pools[s] = new CallDescriptor<PaddedCounter>[PoolSize];
            for (var i = 0; i < PoolSize; i++)
            {
                _pools[s][i] = new CallDescriptor<PaddedCounter>(static c => c.Increment(), _consumed);
            }
        }

        _cursor = new int[senders * 16];
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore TryPost (reused descriptors)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.CrossCore;

    /// <summary>The set.</summary>
    public CoreSet Set => _set;

    /// <inheritdoc/>
    public override string? PinningError => _set.GetCoreInfo(Target).PinningError ?? base.PinningError;

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
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
        Produce(0, 16); // wake the core: it polls now
        _warm += 16;
        WaitConsumed(Expected);
    }

    /// <inheritdoc/>
    protected override void EndConsumer()
    {
    }

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var set = _set;
        var pool = _pools[sender];
        var cursor = _cursor[sender * 16];
        for (var i = 0; i < count; i++)
        {
            var descriptor = pool[cursor++ & (PoolSize - 1)];
            var spin = 0;
            while (set.TryPost(Target, descriptor) == CallResult.Busy)
            {
                // The core has not taken this descriptor yet (the sender lapped the pool): wait reading, not
                // retrying the claim, so the line is not stolen from the core on every spin.
                while (descriptor.IsInFlight)
                {
                    Spin.Pause(ref spin);
                }
            }
        }

        _cursor[sender * 16] = cursor;
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (_consumed.Read() < total + _warm)
        {
            Spin.Pause(ref spin);
        }
    }
}

/// <summary>P2: <c>Post(core, f, state)</c>: returns once queued, waiting only until the sender's
/// previous no-wait call to that core was dequeued (one per-sender descriptor, as in the kernel).</summary>
public sealed class CrossCoreNoWaitThroughput : ThroughputContender
{
    private const int Target = 1;
    private readonly CoreSet _set;
    private readonly PaddedCounter _consumed = new();
    private readonly StatsProbe _probe;
    private long _warm;

    /// <summary>Starts a two-core set (core 1 on the partner CPU).</summary>
    public CrossCoreNoWaitThroughput(Placement placement, int senders = 1)
        : base(placement, senders)
    {
        _set = new CoreSet(placement.CoreSetOptions("bench nowait", 2));
        _probe = new StatsProbe(_set);
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore Post";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override string? PinningError => _set.GetCoreInfo(Target).PinningError ?? base.PinningError;

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
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
        Produce(0, 16);
        _warm += 16;
        WaitConsumed(Expected);
    }

    /// <inheritdoc/>
    protected override void EndConsumer()
    {
    }

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var set = _set;
        var state = _consumed;
        for (var i = 0; i < count; i++)
        {
            set.Post(Target, static c => c.Increment(), state);
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (_consumed.Read() < total + _warm)
        {
            Spin.Pause(ref spin);
        }
    }
}
