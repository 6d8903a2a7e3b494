
namespace CrossCore.Cli.Torture;

/// <summary>
/// A deferred work raced by a few invokers with <c>Queue()</c> and <c>QueueOn(random core)</c>, so claims, coalescing
/// and runs on several cores overlap. Checks: per core, runs equal Queued answers (exactly-once, on the right core);
/// for every racer, some run saw its last guaranteed datum (the last trigger is never lost, C7); it ends idle.
/// </summary>
internal sealed class SharedWork
{
    public SharedWork(TortureEngine engine, int id, Invoker[] racers, DeferredWorkOptions options, int defaultCore)
    {
        Engine = engine;
        Id = id;
        Racers = new RacerSide[racers.Length];
        for (var i = 0; i < racers.Length; i++)
        {
            Racers[i] = new RacerSide(racers[i], i);
        }

        Written = new long[racers.Length * SharedDescriptor.Stride];
        MaxSeen = new long[racers.Length];
        ExpectedOn = new long[engine.CoreCount];
        RanOn = new long[engine.CoreCount];
        Work = new DeferredWork<SharedWork>(engine.Set, Functions.SharedWorkRun, this, options, defaultCore);
    }

    public TortureEngine Engine { get; }

    public int Id { get; }

    public RacerSide[] Racers { get; }

    public DeferredWork<SharedWork> Work { get; }

    public readonly long[] Written;

    /// <summary>The newest datum any run saw, per racer (runs may overlap on different cores: atomic max).</summary>
    public readonly long[] MaxSeen;

    /// <summary>Queued answers per target core (atomic).</summary>
    public readonly long[] ExpectedOn;

    /// <summary>Runs per core (atomic).</summary>
    public readonly long[] RanOn;

    public long Runs;
}
