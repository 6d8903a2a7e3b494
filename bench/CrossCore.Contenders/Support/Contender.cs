using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>What a contender is in its scenario.</summary>
public enum ContenderRole
{
    /// <summary>The hardware floor: the least a correct handoff can cost.</summary>
    Floor,

    /// <summary>CrossCore itself.</summary>
    CrossCore,

    /// <summary>What a .NET developer would use instead.</summary>
    Peer,

    /// <summary>A variant of the floor with one of CrossCore's required costs added (shows what the protocol itself
    /// costs); not a peer, not the floor.</summary>
    Reference,
}

/// <summary>
/// One thing measured. A run is <see cref="Begin"/> (untimed: wake the partner threads, warm the target),
/// <see cref="Run"/> (timed by the contender itself, around exactly the operations), <see cref="End"/> (untimed: put
/// the partners back to sleep). Between runs a contender uses no CPU, so runs of different contenders can be
/// interleaved in one process.
/// </summary>
public abstract class Contender : IDisposable
{
    private readonly Dictionary<string, double> _extras = [];

    /// <summary>A short name.</summary>
    public abstract string Name { get; }

    /// <summary>Floor, CrossCore or peer.</summary>
    public abstract ContenderRole Role { get; }

    /// <summary>Figures of the last run besides time (wake-ups per request, busy answers, runs per queue ...).</summary>
    public IReadOnlyDictionary<string, double> Extras => _extras;

    /// <summary>Errors from pinning, if any.</summary>
    public virtual string? PinningError => null;

    /// <summary>Gets the partners spinning and the target warm; untimed.</summary>
    public virtual void Begin()
    {
    }

    /// <summary>Runs <paramref name="ops"/> operations and returns the elapsed <see cref="Stopwatch"/> ticks of exactly
    /// those operations.</summary>
    public abstract long Run(int ops);

    /// <summary>Called after <see cref="Run"/>, untimed: gather <see cref="Extras"/> for the run of <paramref name="ops"/> ops.</summary>
    public virtual void AfterRun(int ops)
    {
    }

    /// <summary>Called before <see cref="Run"/>, untimed.</summary>
    public virtual void BeforeRun()
    {
    }

    /// <summary>Puts the partners back to sleep; untimed.</summary>
    public virtual void End()
    {
    }

    /// <summary>Stops every thread and set the contender made.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Stops every thread and set the contender made (<paramref name="disposing"/>: called by
    /// <see cref="Dispose()"/>; contenders have no finalizer).</summary>
    protected virtual void Dispose(bool disposing)
    {
    }

    /// <summary>Records a figure of the last run.</summary>
    protected void SetExtra(string key, double value) => _extras[key] = value;
}

/// <summary>Receives a timestamp after every operation of a latency loop; a struct so the untimed loop pays nothing.</summary>
public interface IOpClock
{
    /// <summary>Called after operation <paramref name="i"/>.</summary>
    void Tick(int i);

    /// <summary>Called by loops that pause between operations, just before operation <paramref name="i"/>: the pause
    /// is not part of its latency.</summary>
    void Restart(int i);
}

/// <summary>The clock of untimed loops: does nothing (and is compiled away).</summary>
public readonly struct NoClock : IOpClock
{
    /// <inheritdoc/>
    public void Tick(int i)
    {
    }

    /// <inheritdoc/>
    public void Restart(int i)
    {
    }
}

/// <summary>Writes <see cref="Stopwatch.GetTimestamp"/> to <c>stamps[i + 1]</c> after operation i (and to
/// <c>stamps[i]</c> on a restart), so operation i took <c>stamps[i + 1] - stamps[i]</c>.</summary>
public readonly struct StampClock(long[] stamps) : IOpClock
{
    /// <inheritdoc/>
    public void Tick(int i) => stamps[i + 1] = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public void Restart(int i) => stamps[i] = Stopwatch.GetTimestamp();
}

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
