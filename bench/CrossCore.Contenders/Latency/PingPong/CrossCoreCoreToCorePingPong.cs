using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P1, core to core: task-context work on core 0 (<c>RunAsync</c>) makes waiting calls to core 1, the kernel's usual
/// case (one CPU calling another). The loop times itself on core 0.
/// </summary>
public sealed class CrossCoreCoreToCorePingPong : LatencyContender
{
    private readonly CoreSet _set;
    private readonly PaddedCounter _state = new();
    private readonly StatsProbe _probe;
    private long _loopBytes;

    /// <summary>Starts a two-core set: core 0 on the driver's CPU calls core 1 on the partner's.</summary>
    public CrossCoreCoreToCorePingPong(Placement placement)
    {
        _set = new CoreSet(placement.CoreSetOptions("bench c2c", 2));
        _probe = new StatsProbe(_set);
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore Invoke, core 0 → core 1 (RunAsync)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override string? PinningError => _set.GetCoreInfo(0).PinningError ?? _set.GetCoreInfo(1).PinningError;

    /// <inheritdoc/>
    public override void Begin() => Loop(16, default(NoClock));

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        foreach (var (key, value) in _probe.After(ops))
        {
            SetExtra(key, value);
        }

        SetExtra("loop_bytes_per_op", (double)_loopBytes / ops); // on core 0, inside the loop: the calls alone
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _set.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var set = _set;
        var state = _state;
        return set.RunAsync(0, () =>
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < ops; i++)
            {
                set.Invoke(1, static c => c.Increment(), state);
                clock.Tick(i);
            }

            var elapsed = Stopwatch.GetTimestamp() - start;
            _loopBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            return elapsed;
        }).GetAwaiter().GetResult();
    }
}
