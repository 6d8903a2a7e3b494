namespace CrossCore.Cli.Torture;

/// <summary>
/// The torture's aligned racer: a thread outside the set that runs <see cref="AlignedRace"/> rounds back to back for the
/// whole run, against a random core each round, alternating between an async descriptor (O4) and a deferred work (O6)
/// of that core. A round whose obliging answer (Busy, Coalesced) is followed by a run that missed the datum is a
/// violation (busy-not-seen, coalesced-not-seen). It makes the torture's store-buffering shapes dense at the one
/// instant where a missing fence shows, which the invokers' random mix reaches only by chance.
/// </summary>
internal sealed class AlignedRacer : IDisposable
{
    private readonly TortureEngine _engine;
    private readonly Thread _thread;
    private readonly AlignedRaceTarget[] _descriptors;
    private readonly AlignedRaceTarget[] _works;
    private volatile bool _stop;

    public AlignedRacer(TortureEngine engine)
    {
        _engine = engine;
        _descriptors = new AlignedRaceTarget[engine.CoreCount];
        _works = new AlignedRaceTarget[engine.CoreCount];
        for (var core = 0; core < engine.CoreCount; core++)
        {
            _descriptors[core] = AlignedRaceTarget.Descriptor(engine.Set);
            _works[core] = AlignedRaceTarget.Deferred(engine.Set);
        }

        _thread = new Thread(Run) { IsBackground = true, Name = "torture aligned racer" };
    }

    /// <summary>Rounds raced (the target was queued behind the gate and attempted once).</summary>
    public long Rounds;

    /// <summary>Rounds whose attempt got the obliging answer.</summary>
    public long Obliged;

    public void Start() => _thread.Start();

    /// <summary>Stops after the current round (which stops waiting for its runs at once), once it has raced at least
    /// <paramref name="minRounds"/> rounds (or its thread ended).</summary>
    public void Stop(long minRounds = 0)
    {
        while (Volatile.Read(ref Rounds) < minRounds && _thread.IsAlive) // volatile only for a fresh read of the racer's count: no pair
        {
            Thread.Sleep(1);
        }

        _stop = true;
        if ((_thread.ThreadState & ThreadState.Unstarted) == 0)
        {
            _thread.Join();
        }
    }

    public void Dispose() => Stop();

    private void Run()
    {
        var random = new Random(unchecked((int)_engine.Options.Seed ^ 0x5AFE));
        var stop = () => _stop;
        for (var i = 0; !_stop; i++)
        {
            var core = random.Next(_engine.CoreCount);
            var target = (i & 1) == 0 ? _descriptors[core] : _works[core];
            var outcome = AlignedRace.Round(_engine.Set, core, target, jitter: 16, random, stop);
            _engine.Progress(); // for the watchdog: a racer stuck in a round (its target never ran) shows as a hang
            if (AlignedRaceCount.Add(outcome, ref Rounds, ref Obliged))
            {
                var o4 = target.Rule == "O4";
                _engine.Violations.Add(o4 ? ViolationKind.BusyNotSeen : ViolationKind.CoalescedNotSeen, o4 ? Primitive.Async : Primitive.Deferred,
                    $"aligned race on core {core} ({target.Rule}): the attempt was answered {(o4 ? "Busy" : "Coalesced")} at the release, and the run in flight missed the caller's write");
            }
        }
    }
}
