using System.Diagnostics;

namespace CrossCore.Contenders;

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

    /// <summary>Records figures of the last run (a <see cref="StatsProbe"/>'s, for one).</summary>
    protected void SetExtras(IEnumerable<KeyValuePair<string, double>> extras)
    {
        foreach (var (key, value) in extras)
        {
            SetExtra(key, value);
        }
    }
}
