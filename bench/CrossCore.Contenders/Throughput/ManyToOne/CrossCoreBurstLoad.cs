using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P5: two senders burst async calls at one core: each sends a burst of <see cref="BurstSize"/> descriptors, then
/// pauses for <see cref="Gap"/> (longer than the poll duration, so the core parks between bursts). Measures wake-ups
/// per request and batch sizes from the set's statistics; the time per item includes the pauses and means nothing.
/// </summary>
public sealed class CrossCoreBurstLoad : CrossCoreThroughputContender
{
    /// <summary>Calls per burst per sender.</summary>
    public const int BurstSize = 32;

    /// <summary>The pause between bursts.</summary>
    public static readonly TimeSpan Gap = TimeSpan.FromMicroseconds(200);

    private readonly CallDescriptor<PaddedCounter>[][] _pools;
    private readonly long _gapTicks = Gap.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;

    /// <summary>Starts a two-core set (core 1 on the partner CPU) and one burst of descriptors per sender.</summary>
    public CrossCoreBurstLoad(Placement placement, int senders = 2)
        : base(placement, senders, "bench burst")
    {
        _pools = DescriptorPools(BurstSize);
    }

    /// <inheritdoc/>
    public override string Name => $"CrossCore TryPost, {Senders} senders, bursts of {BurstSize} every {Gap.TotalMicroseconds:0} µs";

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var set = Set;
        var pool = _pools[sender];
        var sent = 0;
        while (sent < count)
        {
            var burst = Math.Min(BurstSize, count - sent);
            for (var i = 0; i < burst; i++)
            {
                PostReused(set, pool[i]); // a Busy descriptor is the previous burst's, still queued
            }

            sent += burst;
            var until = Stopwatch.GetTimestamp() + _gapTicks;
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.Yield(); // the other sender may share this CPU
            }
        }
    }
}
