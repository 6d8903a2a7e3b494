using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// A round-trip contender (P1, P3): each operation is a request and its answer. Implementations write one loop,
/// generic in the clock, used both for the timed batch (<see cref="NoClock"/>) and for the per-operation latency
/// distribution (<see cref="StampClock"/>).
/// </summary>
public abstract class LatencyContender : Contender
{
    /// <inheritdoc/>
    public sealed override long Run(int ops) => Loop(ops, default(NoClock));

    /// <summary>Runs <c>stamps.Length - 1</c> round trips and time-stamps each: <c>stamps[0]</c> is the start.</summary>
    public void RunTimed(long[] stamps)
    {
        stamps[0] = Stopwatch.GetTimestamp();
        Loop(stamps.Length - 1, new StampClock(stamps));
    }

    /// <summary>The round-trip loop: <paramref name="ops"/> round trips, <c>clock.Tick(i)</c> after each; returns the
    /// elapsed ticks of the loop.</summary>
    protected abstract long Loop<TClock>(int ops, TClock clock)
        where TClock : struct, IOpClock;
}
