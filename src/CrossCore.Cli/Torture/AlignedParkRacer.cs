namespace CrossCore.Cli.Torture;

/// <summary>
/// The torture's park racer: a thread that runs <see cref="AlignedParkRace"/> rounds back to back for the whole run,
/// against core 1 of a private 2-core set whose cores park as soon as they are idle (poll duration zero). Each round
/// lets the core go idle and posts a probe at the instant it publishes Parked; a post that sent no wake-up obliges the
/// core's re-check of its inbox to find the probe (O7). A core that parked with the probe queued is a violation
/// (lost-wakeup). The set is private because the verdict needs the racer to be the core's only sender; the invokers
/// and the hotplug toggler never see it.
/// </summary>
internal sealed class AlignedParkRacer : IDisposable
{
    private readonly TortureEngine _engine;
    private readonly CoreSet _set;
    private readonly Thread _thread;
    private volatile bool _stop;

    /// <summary>Creates the racer and its private set (not started).</summary>
    public AlignedParkRacer(TortureEngine engine)
    {
        _engine = engine;
        _set = new CoreSet(new CoreSetOptions
        {
            CoreCount = 2,
            PollDuration = TimeSpan.Zero,
            Name = "torture park race",
            OnStuckCall = engine.StuckCalls.Add,
        });
        _thread = new Thread(Run) { IsBackground = true, Name = "torture park racer" };
    }

    /// <summary>Rounds raced (written by the racer's thread; read once it has stopped).</summary>
    public long Rounds;

    /// <summary>Rounds whose probe sent no wake-up, so the core's re-check had to find it.</summary>
    public long Obliged;

    /// <summary>Starts the racer's thread.</summary>
    public void Start() => _thread.Start();

    /// <summary>Stops the racer after its current round, then disposes its set.</summary>
    public void Stop()
    {
        _stop = true;
        if ((_thread.ThreadState & ThreadState.Unstarted) == 0)
        {
            _thread.Join();
        }

        _set.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose() => Stop();

    private void Run()
    {
        var random = new Random(unchecked((int)_engine.Options.Seed ^ 0x0B7A));
        var log = new AlignedParkRaceLog();
        var stop = () => _stop;
        while (!_stop)
        {
            // No _engine.Progress() here: the watchdog judges the main set, and rounds on this private set would hide a hang
            // there. A round whose core never runs the probe spins until Stop; if this set wedged, its Dispose in Stop
            // would stall the run's end, which the watchdog sees.
            var outcome = AlignedParkRace.Round(_set, 1, log, jitter: 16, random, stop);
            if (AlignedRaceCount.Add(outcome, ref Rounds, ref Obliged))
            {
                _engine.Violations.Add(ViolationKind.LostWakeup, null,
                    $"park race round {log.Round}: the probe's post sent no wake-up (the core had not published Parked), and the core parked without running it (O7: the park's re-check missed the inbox)");
            }
        }
    }
}
