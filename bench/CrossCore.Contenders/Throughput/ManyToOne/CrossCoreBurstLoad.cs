using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P5: two senders burst async calls at one core: each sends a burst of <see cref="BurstSize"/> descriptors, then
/// pauses for <see cref="Gap"/> (longer than the poll duration, so the core parks between bursts). Measures wake-ups
/// per request and batch sizes from the set's statistics; the time per item includes the pauses and means nothing.
/// </summary>
public sealed class CrossCoreBurstLoad : ThroughputContender
{
    /// <summary>Calls per burst per sender.</summary>
    public const int BurstSize = 32;

    /// <summary>The pause between bursts.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMicroseconds(200);

    private const int Target = 1;
    private readonly CoreSet _set;
    private readonly PaddedCounter _consumed = new();
    private readonly CallDescriptor<PaddedCounter>[][] _pools;
    private readonly StatsProbe _probe;
    private readonly long _gapTicks = Gap.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;

    /// <summary>Starts a two-core set (core 1 on the partner CPU) and one burst of descriptors per sender.</summary>
    public CrossCoreBurstLoad(Placement placement, int senders = 2)
        : base(placement, senders)
    {
        _set = new CoreSet(placement.CoreSetOptions("bench burst", 2));
        _probe = new StatsProbe(_set);
        _pools = new CallDescriptor<PaddedCounter>[senders][];
        for (var s = 0; s < senders; s++)
        {
            _pools[s] = new CallDescriptor<PaddedCounter>[BurstSize];
            for (var i = 0; i < BurstSize; i++)
            {
                _pools[s][i] = new CallDescriptor<PaddedCounter>(static c => c.Increment(), _consumed);
            }
        }
    }

    /// <inheritdoc/>
    public override string Name => $"CrossCore TryPost, {Senders} senders, bursts of {BurstSize} every {Gap.TotalMicroseconds:0} µs";

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
        var sent = 0;
        while (sent < count)
        {
            var burst = Math.Min(BurstSize, count - sent);
            for (var i = 0; i < burst; i++)
            {
                var spin = 0;
                while (set.TryPost(Target, pool[i]) == CallResult.Busy)
                {
                    while (pool[i].IsInFlight)
                    {
                        Spin.Pause(ref spin); // the previous burst's descriptor is still queued
                    }
                }
            }

            sent += burst;
            var until = Stopwatch.GetTimestamp() + _gapTicks;
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.Yield(); // the other sender may share this CPU
            }
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (_consumed.Read() < total)
        {
            Spin.Pause(ref spin);
        }
    }
}
