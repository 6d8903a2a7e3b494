namespace CrossCore.Cli.Torture;

/// <summary>
/// One no-wait call as its sender began it (<see cref="SenderThread.Begin"/>): the descriptor use it may wait for
/// (<paramref name="PreviousUse"/>, 0 = none), whether that use was still unreleased, and when it started (Stopwatch
/// ticks).
/// </summary>
internal readonly record struct NoWaitAttempt(SenderThread Track, int Core, long PreviousUse, bool MayWait, long StartedAt);
