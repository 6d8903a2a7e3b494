namespace CrossCore.Cli.Torture;

/// <summary>
/// A store-buffering race aligned on a waiting caller's park (O7 on the caller's side: the Dekker pair of a caller that
/// waits for its call and the core that releases it). In a round the raced core is held in a gate (a posted function)
/// while another core of the set makes a waiting call to it from task context. With a zero poll duration that caller
/// spins briefly, then publishes Parked (Parker.PrepareToPark, a full fence) and re-checks the release before it
/// blocks. The gate lets the raced core go a staircase-tuned delay after the call starts, so that it runs the function
/// and releases the call (the release exchange, a full fence) at the instant the caller parks, then reads the caller's
/// park state to decide on a wake-up. At least one of the two must see the other: a core that sends no wake-up (it read
/// Running) obliges the caller's re-check to find the release. Without the core's fence (a release store: mutant E4 for
/// the inbox's call, L5 for a sender lane's) its release can wait in its store buffer while it reads Running, and the
/// caller's re-check reads the call as pending: the caller blocks with its call done and nothing to wake it.
/// </summary>
/// <remarks>
/// <para>The verdict is exact, not timed. Once the function has run, the watcher (the thread that calls
/// <see cref="Round"/>) posts a mark behind the call; once the mark has run, the raced core's release and wake-up are
/// over, and a caller still inside the call that is blocked with no signal pending (<c>Parker.IsBlockedWithoutSignal</c>,
/// read under the parker's lock) has lost its wake-up. The watcher reports the violation and wakes the caller, so the
/// round ends. The delay is a staircase on the outcome, as in <see cref="AlignedParkRace"/>: a core that had to wake
/// the caller shortens it, one that found it not parked lengthens it, so releases gather at the instant Parked becomes
/// visible.</para>
/// <para>The set needs a zero poll duration, no hotplug and no other sender to the two cores. Its
/// <c>SenderLaneCount</c> picks the path: 0 races the inbox's call (<c>SyncCall</c>), the default a sender lane's
/// (<c>LaneCall</c>), which the caller takes after its first calls. The unit test <c>AlignedWaitRaceTests</c>
/// (tests/CrossCore.Tests) runs it on sets of its own; the torture does not, since beside its invokers the rounds
/// hardly ever reach the instant of the park (docs/VERIFICATION.md).</para>
/// </remarks>
internal sealed class AlignedWaitRace
{
    private readonly CoreSet _set;
    private readonly int _caller;
    private readonly int _core;
    private readonly Parker _callerParker;
    private readonly AlignedWaitRaceLog _log = new();

    /// <summary>A race of core <paramref name="caller"/>'s waiting calls to core <paramref name="core"/> of <paramref name="set"/>.</summary>
    public AlignedWaitRace(CoreSet set, int caller, int core)
    {
        _set = set;
        _caller = caller;
        _core = core;
        _callerParker = set.GetCoreUnchecked(caller).Parker;
    }

    /// <summary>One round. <paramref name="jitter"/>: spin iterations added at random to the staircase's delay.</summary>
    public AlignedRaceRound Round(int jitter, Random random)
    {
        var log = _log;
        var round = ++log.Round;
        _set.Post(_core, static g => g.Log.HoldUntilCalled(g.Round), (Log: log, Round: round));
        SpinUntil(ref log.Entered, round); // the core runs the gate: it gets there

        log.Wait = log.Delay + random.Next(jitter);
        // Task context: a waiting call is refused in handler context. The post of the task publishes Wait (the push's full fence).
        var call = _set.RunAsync(_caller, static c => c.Race.Call(c.Round), (Race: this, Round: round));

        var spin = new SpinWait();
        while (Volatile.Read(ref log.Ran) != round) // acquire; pairs with the release in Called (no data rides on it)
        {
            if (call.IsFaulted)
            {
                call.GetAwaiter().GetResult(); // the call threw before its function ran: say why
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        // The mark runs after the call's Execute, so once it has run the core's release and its Parker.Wake are over.
        _set.Post(_core, static m => m.Log.Mark(m.Round), (Log: log, Round: round));
        SpinUntil(ref log.Marked, round);

        var violation = false;
        spin = default;
        while (Volatile.Read(ref log.Returned) != round) // acquire; pairs with the caller's release in Call
        {
            // Blocked with no signal pending, and still inside the call (Returned is re-read after the parker's lock, which
            // an idle park after the call would have published it by): the core is done with the call, so its wake-up
            // was lost.
            if (!violation && _callerParker.IsBlockedWithoutSignal && Volatile.Read(ref log.Returned) != round) // acquire; as above
            {
                violation = true;
                _callerParker.ForceWake(); // the rescue, so the round ends
            }

            spin.SpinOnce(sleep1Threshold: -1);
        }

        if (violation)
        {
            return AlignedRaceRound.Violation;
        }

        var step = 1 + (log.Delay >> 4);
        if (_callerParker.SignalsSent != log.SignalsAtCall)
        {
            log.Delay = Math.Max(0, log.Delay - step); // the core found the caller parked: release earlier
            return AlignedRaceRound.Accepted;
        }

        log.Delay += step; // the caller found the release (or never parked): release later
        return AlignedRaceRound.Obliged;
    }

    /// <summary>On the caller core, in task context: notes its parker's signal count, says it calls, makes the waiting call.</summary>
    private void Call(int round)
    {
        var log = _log;
        log.SignalsAtCall = _callerParker.SignalsSent; // every signal to the caller from here on is the raced core's (published by Returned)
        Volatile.Write(ref log.Calling, round); // release: (Wait rides on the post that runs this); pairs with the gate's acquire read in HoldUntilCalled
        _set.Invoke(_core, static c => c.Log.Called(c.Round), (Log: log, Round: round));
        Volatile.Write(ref log.Returned, round); // release: SignalsAtCall; pairs with the watcher's acquire reads in Round
    }

    private static void SpinUntil(ref int word, int round)
    {
        var spin = new SpinWait();
        while (Volatile.Read(ref word) != round) // acquire; pairs with the core's release in AlignedWaitRaceLog (Entered, Marked)
        {
            spin.SpinOnce(sleep1Threshold: -1); // yield, never sleep: a round lasts microseconds
        }
    }
}
