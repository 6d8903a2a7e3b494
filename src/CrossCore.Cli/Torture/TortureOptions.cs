namespace CrossCore.Cli.Torture;

/// <summary>Everything a torture run is configured with (parsed from the command line, or built by tests).</summary>
internal sealed record TortureOptions
{
    /// <summary>How long the invokers run. Ignored when <see cref="Iterations"/> is set.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>If positive: each invoker runs exactly this many requests, then stops (bounded runs for tests).</summary>
    public long Iterations { get; init; }

    /// <summary>How many cores the set has (may exceed the hardware threads).</summary>
    public int Cores { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// How many cores (the first ones) run an invoker as task-context work, like scftorture's per-CPU kthreads;
    /// null for all of them. The others stay idle between requests, so they poll and park.
    /// </summary>
    public int? CoreInvokers { get; init; }

    /// <summary>How many invokers run on plain threads outside the set.</summary>
    public int OutsideInvokers { get; init; } = 2;

    public PrimitiveWeights Weights { get; init; } = PrimitiveWeights.Default;

    /// <summary>Random offline/online of cores while the invokers run.</summary>
    public bool Hotplug { get; init; } = true;

    /// <summary>Run the aligned racer beside the invokers (<see cref="AlignedRacer"/>): O4 and O6 raced at the instant of
    /// the core's release, where a missing fence shows.</summary>
    public bool AlignedRace { get; init; } = true;

    /// <summary>When the invokers are done, the aligned racer still runs until it has raced this many rounds (0: it stops
    /// with them). For tests that need a bound on the racer's work, not on the invokers'.</summary>
    public long MinAlignedRounds { get; init; }

    /// <summary>Mean time between hotplug operations (each waits a random 0.5–1.5 of it).</summary>
    public TimeSpan HotplugInterval { get; init; } = TimeSpan.FromMilliseconds(75);

    public DelayKind Delay { get; init; } = DelayKind.Short;

    /// <summary>Seeds every random choice the harness makes (targets, masks, primitives, hotplug).</summary>
    public ulong Seed { get; init; }

    /// <summary>Probability 1/N that an own-descriptor/own-work request becomes a tight re-queue loop (the store-buffering shape).</summary>
    public int SpinOneIn { get; init; } = 2;

    /// <summary>Outside invokers spin a random 1/2..1 of this between requests (lets cores go idle and park).</summary>
    public TimeSpan OutsideGap { get; init; } = TimeSpan.Zero;

    /// <summary>The cores' poll duration before parking; null for the runtime's default.</summary>
    public TimeSpan? PollDuration { get; init; }

    /// <summary>How many shared descriptors and shared works there are (each raced by up to four invokers); null for one per invoker.</summary>
    public int? SharedObjects { get; init; }

    /// <summary>Pin core threads to hardware CPUs.</summary>
    public bool Pin { get; init; }

    /// <summary>The stuck-call detector's timeout (the torture's reports, D1).</summary>
    public TimeSpan StuckCallTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The watchdog declares a hang after this long without progress.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    public RuntimeFault Fault { get; init; }

    /// <summary>The countdown for drop-async / double-run-async.</summary>
    public int FaultCount { get; init; } = 1;

    public Sabotage Sabotage { get; init; }

    /// <summary>Hard cap the runtime allows for this harness (bitmaps per request, per-core out slots per invoker).</summary>
    public const int MaxCores = 1024;
}
