
namespace CrossCore.Cli.Torture;

/// <summary>
/// A call descriptor with a fixed target, raced for by a few invokers (C2: of N concurrent attempts on a free
/// descriptor exactly one queues it; the others get Busy). Each racer writes its own datum slot before every attempt;
/// each run reads every slot first thing. Checks: every Ok is one run (exactly-once), every run is on the target, a
/// run never sees an older datum than an earlier run, and the last run sees each racer's last guaranteed datum.
/// </summary>
internal sealed class SharedDescriptor
{
    /// <summary>Datum slots are a cache line apart.</summary>
    public const int Stride = 8;

    public SharedDescriptor(TortureEngine engine, int id, int target, Invoker[] racers)
    {
        Engine = engine;
        Id = id;
        Target = target;
        Racers = new RacerSide[racers.Length];
        for (var i = 0; i < racers.Length; i++)
        {
            Racers[i] = new RacerSide(racers[i], i);
        }

        Written = new long[racers.Length * Stride];
        Seen = new long[racers.Length];
        Descriptor = new CallDescriptor<SharedDescriptor>(Functions.SharedDescriptorRun, this);
    }

    public TortureEngine Engine { get; }

    public int Id { get; }

    public int Target { get; }

    public RacerSide[] Racers { get; }

    public CallDescriptor<SharedDescriptor> Descriptor { get; }

    /// <summary>Racer i's datum at [i * Stride], written before each attempt.</summary>
    public readonly long[] Written;

    /// <summary>What the latest run saw (runs are serialized on the target core).</summary>
    public readonly long[] Seen;

    public long Runs;
}
