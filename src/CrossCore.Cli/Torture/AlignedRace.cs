namespace CrossCore.Cli.Torture;

/// <summary>
/// A store-buffering race aligned on a core's real release, for the fences an unaligned stress rarely sees (O4's after
/// the async release, O6's at the deferred run start). In a round the core is held in a gate (a posted function that
/// spins until the round is let go) with the target queued behind it; the racer lets the gate go, waits a few
/// nanoseconds, stores the datum and attempts the target once. The core meanwhile returns from the gate, releases the
/// target (a store) and runs its function, whose first load is the datum. With the fence in place an obliging answer
/// (Busy, Coalesced) means the run in flight sees the datum; without it the core's load can pass its own release store,
/// which the racer's attempt then still reads as "in flight".
/// </summary>
/// <remarks>
/// The delay is a staircase on the answers: an obliging answer (the attempt came before the release was visible)
/// lengthens it, the other shortens it (by a step that grows with the delay), so the attempts gather at the instant
/// the release becomes visible, where the reordering can show. Used by the torture's racer (<see cref="AlignedRacer"/>)
/// and by the unit tests that fail on the real fence mutants (tests/CrossCore.Tests, AlignedRaceEpisodes). Nothing here
/// measures time: a round waits for its runs.
/// </remarks>
internal static class AlignedRace
{
    /// <summary>
    /// One round against <paramref name="core"/>. <paramref name="jitter"/>: spin iterations added at random to the
    /// staircase's delay. <paramref name="stop"/>: polled while the round waits for its runs (the torture's end).
    /// </summary>
    public static AlignedRaceRound Round(CoreSet set, int core, AlignedRaceTarget target, int jitter, Random random, Func<bool> stop)
    {
        var log = target.Log;
        var before = Volatile.Read(ref log.Runs); // acquire; pairs with the release in Record
        var round = ++log.Round;
        try
        {
            set.Post(core, static g => g.Log.HoldUntil(g.Round), (Log: log, Round: round));
        }
        catch (CoreOfflineException)
        {
            return AlignedRaceRound.Skipped;
        }

        var queued = target.Queue(core);
        var wait = log.Delay + random.Next(jitter);
        Volatile.Write(ref log.Go, round); // release; the gate's acquire read lets the core go on to the target
        if (queued != AlignedRaceAnswer.Accepted)
        {
            return AlignedRaceRound.Skipped; // offline since the gate: nothing queued, nothing raced
        }

        for (var i = 0; i < wait; i++)
        {
            _ = Volatile.Read(ref log.Spin); // volatile only so that the JIT keeps the delay loop: no pair
        }

        // Ordered before the attempt by the attempt's own full fence (the claim's CAS, O1; the queue's Or, O6); the run's
        // load in AlignedRaceLog.Record must see it whenever the attempt answers Busy or Coalesced.
        Volatile.Write(ref log.Datum, round);
        var answer = target.Queue(core);
        var expected = before + (answer == AlignedRaceAnswer.Accepted ? 2 : 1);
        var spin = new SpinWait();
        while (Volatile.Read(ref log.Runs) != expected || !target.IsQuiet) // acquire; pairs with the release in Record
        {
            if (stop())
            {
                return AlignedRaceRound.Skipped;
            }

            spin.SpinOnce(sleep1Threshold: -1); // yield, never sleep: a round lasts microseconds
        }

        // The step grows with the delay, so the staircase finds the instant of the release whether it is nanoseconds
        // after the gate (a core on a CPU of its own) or microseconds (a core time-sliced with others).
        var step = 1 + (log.Delay >> 4);
        if (answer != AlignedRaceAnswer.Obliged)
        {
            log.Delay = Math.Max(0, log.Delay - step);
            return answer == AlignedRaceAnswer.Accepted ? AlignedRaceRound.Accepted : AlignedRaceRound.Skipped;
        }

        log.Delay += step;
        return log.SeenBy(before) < round ? AlignedRaceRound.Violation : AlignedRaceRound.Obliged;
    }
}
