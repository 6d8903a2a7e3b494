namespace CrossCore.Cli.Torture;

/// <summary>
/// One no-wait call as its sender began it (<see cref="NoWaitTrack.Begin"/>): the descriptor use it may wait for
/// (<paramref name="PreviousUse"/>, 0 = none), whether that use was still unreleased, when it started (Stopwatch ticks),
/// and the sender's scheduler accounting at the start when it may wait.
/// </summary>
internal readonly record struct NoWaitAttempt(
    NoWaitTrack Track, int Core, long PreviousUse, bool MayWait, long StartedAt, bool Measured, SchedSample Baseline);
