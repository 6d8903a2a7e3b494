namespace CrossCore.Cli.Torture;

/// <summary>
/// One reading of a thread's scheduler accounting (<see cref="ThreadSchedStat"/>), all in nanoseconds: time run on a
/// CPU, time runnable but waiting for one, and the process's total GC pause time (a thread suspended for a GC sleeps
/// without having missed anything).
/// </summary>
internal readonly record struct SchedSample(long RunNs, long RunQueueNs, long GcPauseNs)
{
    /// <summary>
    /// The time the thread slept between <paramref name="from"/> and <paramref name="to"/>, read <paramref name="wallNs"/>
    /// apart: the wall-clock time it neither ran, nor waited for a CPU, nor sat in a GC pause.
    /// </summary>
    public static long SleptNs(SchedSample from, SchedSample to, long wallNs) =>
        wallNs - (to.RunNs - from.RunNs) - (to.RunQueueNs - from.RunQueueNs) - (to.GcPauseNs - from.GcPauseNs);
}
