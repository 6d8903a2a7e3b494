namespace CrossCore.Cli.Torture;

/// <summary>
/// What an aligned race (<see cref="AlignedRace"/>) races on one core: queue it (the run in flight), attempt it again
/// (the racing attempt), and whether it is quiet. Made for an async descriptor (O4) or a deferred work (O6).
/// </summary>
internal sealed class AlignedRaceTarget
{
    private readonly Func<int, AlignedRaceAnswer> _queue;
    private readonly Func<bool> _quiet;

    private AlignedRaceTarget(string rule, AlignedRaceLog log, Func<int, AlignedRaceAnswer> queue, Func<bool> quiet)
    {
        Rule = rule;
        Log = log;
        _queue = queue;
        _quiet = quiet;
    }

    /// <summary>"O4" or "O6": the rule the race checks.</summary>
    public string Rule { get; }

    /// <summary>The target's shared words.</summary>
    public AlignedRaceLog Log { get; }

    /// <summary>True once the target is neither queued nor running.</summary>
    public bool IsQuiet => _quiet();

    /// <summary>An async descriptor whose function records (O4: a Busy answer obliges the run in flight).</summary>
    public static AlignedRaceTarget Descriptor(CoreSet set)
    {
        var log = new AlignedRaceLog();
        var descriptor = new CallDescriptor<AlignedRaceLog>(static l => l.Record(), log);
        return new AlignedRaceTarget("O4", log, core => set.TryPost(core, descriptor) switch
        {
            CallResult.Ok => AlignedRaceAnswer.Accepted,
            CallResult.Busy => AlignedRaceAnswer.Obliged,
            _ => AlignedRaceAnswer.Offline,
        }, () => !descriptor.IsInFlight);
    }

    /// <summary>A deferred work whose function records (O6: a Coalesced answer obliges the pending run).</summary>
    public static AlignedRaceTarget Deferred(CoreSet set)
    {
        var log = new AlignedRaceLog();
        var work = new DeferredWork<AlignedRaceLog>(set, static l => l.Record(), log);
        return new AlignedRaceTarget("O6", log, core => work.QueueOn(core) switch
        {
            QueueResult.Queued => AlignedRaceAnswer.Accepted,
            QueueResult.Coalesced => AlignedRaceAnswer.Obliged,
            _ => AlignedRaceAnswer.Offline,
        }, () => !work.IsBusy);
    }

    /// <summary>Queues the target on <paramref name="core"/> (or attempts it again).</summary>
    public AlignedRaceAnswer Queue(int core) => _queue(core);
}
