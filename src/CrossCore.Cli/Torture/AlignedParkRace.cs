namespace CrossCore.Cli.Torture;

/// <summary>
/// A store-buffering race aligned on a core's park (O7, the Dekker pair of the idle core and its senders). In a round
/// the core is held in a gate (a posted function that spins until the round is let go); the racer lets it go, waits a
/// few nanoseconds and posts a probe. The core meanwhile returns from the gate, finds its inbox empty, publishes Parked
/// (Parker.PrepareToPark, a full fence) and re-checks its inbox before it blocks; the racer's post pushes the probe
/// (the push CAS, a full fence) and then reads the core's idle state to decide on a wake-up. At least one of the two
/// must see the other: a post that sent no wake-up (it read Running or Polling) obliges the core's re-check to find the
/// probe, so the core must not park before the probe runs. Without the fence the core's store of Parked can wait in its
/// store buffer while its re-check reads the inbox as empty, and both miss: the core parks with the probe queued.
/// </summary>
/// <remarks>
/// The verdict is exact, not timed: the probe notes the core's park count when it runs, and a round whose post sent no
/// wake-up while that count grew after the gate is a violation. A core that parked for good is woken by the racer
/// (once its park count grew before the probe ran), so the round ends and reports. The delay is a staircase on the
/// answers, as in <see cref="AlignedRace"/>: a post that found the core not parked yet lengthens it, a post that had to
/// wake it shortens it, so posts gather at the instant Parked becomes visible. The set needs a zero poll duration (the
/// core parks as soon as its inbox is empty) and no other sender to the raced core, so the torture, whose invokers post
/// to every core, does not run it: the unit test <c>AlignedParkRaceTests</c> (tests/CrossCore.Tests) does, on a set of
/// its own.
/// </remarks>
internal static class AlignedParkRace
{
    /// <summary>
    /// One round against <paramref name="core"/>. <paramref name="jitter"/>: spin iterations added at random to the
    /// staircase's delay. <paramref name="stop"/>: polled while the round waits for the core (the torture's end).
    /// </summary>
    public static AlignedRaceRound Round(CoreSet set, int core, AlignedParkRaceLog log, int jitter, Random random, Func<bool> stop)
    {
        var target = set.GetCoreUnchecked(core);
        var round = ++log.Round;
        var parksBefore = Volatile.Read(ref target.Counters.Parks); // fresh read of the core's plain count: no pair
        var signalsBefore = target.Counters.WakeupsSent;
        try
        {
            set.Post(core, static g => g.Log.HoldUntil(g.Round, g.Core), (Log: log, Round: round, Core: target));
        }
        catch (CoreOfflineException)
        {
            return AlignedRaceRound.Skipped;
        }

        // The gate's post is a post like the probe's: if the park fence is missing it can be lost too.
        if (!WaitForCore(ref log.Started, round, target, parksBefore, target.Counters.WakeupsSent != signalsBefore, stop))
        {
            Volatile.Write(ref log.Posted, round); // release; lets a gate that still starts go on at once
            Volatile.Write(ref log.Go, round);
            return AlignedRaceRound.Skipped;
        }

        Volatile.Write(ref log.Posted, round); // release: every wake-up of the gate's post (and rescue) is sent; pairs with the gate's acquire read
        var spin = new SpinWait();
        while (Volatile.Read(ref log.Entered) != round) // acquire: ParksAtGate is the gate's; pairs with the release in HoldUntil
        {
            spin.SpinOnce(sleep1Threshold: -1); // the core runs the gate: it gets there
        }

        var parksAtGate = log.ParksAtGate;
        signalsBefore = target.Counters.WakeupsSent;
        var wait = log.Delay + random.Next(jitter);
        Volatile.Write(ref log.Go, round); // release; the gate's acquire read lets the core go idle
        for (var i = 0; i < wait; i++)
        {
            _ = Volatile.Read(ref log.Spin); // volatile only so that the JIT keeps the delay loop: no pair
        }

        try
        {
            set.Post(core, static p => p.Log.Probe(p.Round, p.Core), (Log: log, Round: round, Core: target));
        }
        catch (CoreOfflineException)
        {
            return AlignedRaceRound.Skipped;
        }

        // Only this racer posts to the core while it idles, so the core's count of signals sent tells whether this post
        // signalled: it read Parked. Otherwise it read Running or Polling, and the core's re-check must find the probe.
        var signalled = target.Counters.WakeupsSent != signalsBefore;
        if (!WaitForCore(ref log.Ran, round, target, parksAtGate, signalled, stop))
        {
            return AlignedRaceRound.Skipped;
        }

        var step = 1 + (log.Delay >> 4);
        if (signalled)
        {
            log.Delay = Math.Max(0, log.Delay - step);
            return AlignedRaceRound.Accepted;
        }

        log.Delay += step;
        return log.ParksAtProbe != parksAtGate ? AlignedRaceRound.Violation : AlignedRaceRound.Obliged;
    }

    /// <summary>
    /// Waits until the core has marked <paramref name="word"/> with <paramref name="round"/>, waking it if it parked
    /// although the post it waits for sent no signal (the lost wake-up this race looks for: without the rescue the core
    /// would sleep with the post queued). Returns false if asked to stop or the core went offline.
    /// </summary>
    private static bool WaitForCore(ref int word, int round, Core target, long parksBefore, bool signalled, Func<bool> stop)
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref word) != round) // acquire: what the core noted before marking; pairs with its release in AlignedParkRaceLog
        {
            if (stop() || !target.IsOnline)
            {
                return false;
            }

            // (A count read after a stale mark may also be a park after the mark: then this is one spare wake-up, sent
            // before the next gate drops it.)
            if (!signalled && Volatile.Read(ref target.Counters.Parks) != parksBefore) // fresh read of the core's plain count: no pair
            {
                target.Parker.ForceWake();
            }

            spin.SpinOnce(sleep1Threshold: -1); // yield, never sleep: a round lasts microseconds
        }

        return true;
    }
}
