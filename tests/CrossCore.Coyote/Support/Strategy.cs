namespace CrossCore.Coyote.Support;

/// <summary>How Coyote chooses the schedules it explores.</summary>
internal enum Strategy
{
    /// <summary>
    /// Probabilistic concurrency testing: each operation runs at a random priority, which changes at a few random
    /// steps (10 here). Good at bugs that need a few well-placed preemptions in a long run (deadlocks, lost wake-ups).
    /// </summary>
    Pct,

    /// <summary>
    /// A fresh random choice at every scheduling point. Good at bugs that need a preemption inside a window of one or
    /// two steps (a plain read then a plain write), which PCT's few change points rarely hit when a schedule has
    /// hundreds of steps.
    /// </summary>
    Random,
}
