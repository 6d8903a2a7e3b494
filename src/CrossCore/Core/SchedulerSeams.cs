namespace CrossCore;

/// <summary>
/// The three places where the set does something a systematic-testing scheduler (Coyote, tests/CrossCore.Coyote) cannot
/// follow, each behind a seam whose default is exactly the code the set ran before the seam existed. Nothing but the
/// Coyote scenarios sets them.
/// </summary>
/// <remarks>
/// Coyote's rewriter controls <c>Thread</c>, <c>Monitor</c>, <c>Interlocked</c>, <c>Volatile</c> and
/// <c>SpinWait</c>, but not <see cref="ManualResetEventSlim"/>: a wait on one blocks a thread behind the scheduler's
/// back and stalls the exploration. And it recognizes the threads it controls by the name it gives them, so a core
/// thread renamed after its creation would run uncontrolled.
/// </remarks>
internal static class SchedulerSeams
{
    /// <summary>
    /// Blocks until the event is set: a core's start handshake, the join of a stopping core, a second
    /// <see cref="CoreSet.Dispose"/> waiting for the first. Cold paths only. Default: <see cref="ManualResetEventSlim.Wait()"/>.
    /// </summary>
    internal static Action<ManualResetEventSlim> WaitForEvent = static e => e.Wait();

    /// <summary>Whether core threads get their descriptive name ("CrossCore core 3"). Default: true.</summary>
    internal static bool NameCoreThreads = true;

    /// <summary>
    /// How long (ms) a parked waiter sleeps when no stuck-call report and no fail-fast is due, before it looks again: so a
    /// <see cref="CoreSet.StuckCallTimeout"/> changed at run time is picked up. Default: 1000. Coyote models a timed wait
    /// as one that may time out, so with the default a lost wake-up is rescued by that look instead of being reported
    /// as a deadlock; the scenarios set <see cref="Timeout.Infinite"/>.
    /// </summary>
    internal static int ParkWhenNothingDueMs = 1000;
}
