namespace CrossCore.Cli.Bench;

/// <summary>What <c>crosscore bench</c> was asked to do.</summary>
internal sealed record BenchOptions
{
    /// <summary>The CI smoke run: a few seconds, figures only indicative.</summary>
    public bool Quick { get; init; }

    /// <summary>Measured rounds per scenario (each round runs every contender once, interleaved).</summary>
    public int Rounds { get; init; } = 31;

    /// <summary>Rounds run first and thrown away (JIT tiering, thread-pool growth, caches).</summary>
    public int WarmupRounds { get; init; } = 3;

    /// <summary>Multiplies every scenario's sample duration.</summary>
    public double SampleScale { get; init; } = 1;

    /// <summary>After the warm-up rounds, at most this many warm-up bursts per scenario until no contender gets
    /// anything compiled while it runs (the JIT-quiet check); rows still compiling after them are flagged.</summary>
    public int MaxJitWarmups { get; init; } = 12;

    /// <summary>The JIT mode this process runs in (tier1-only runs re-start the process with tiering off).</summary>
    public JitMode Jit { get; init; } = JitMode.Tiered;

    /// <summary>Time-stamped operations per contender per round for the latency distributions.</summary>
    public int HistogramOps { get; init; } = 400;

    /// <summary>Pin threads to distinct hardware CPUs.</summary>
    public bool Pin { get; init; }

    /// <summary>Scenario keys or ids to run (null: all).</summary>
    public IReadOnlyList<string>? Only { get; init; }

    /// <summary>The P6 measurement window and how many windows.</summary>
    public TimeSpan IdleWindow { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How many P6 windows.</summary>
    public int IdleWindows { get; init; } = 3;

    /// <summary>Where to write JSON, if anywhere.</summary>
    public string? JsonPath { get; init; }

    /// <summary>Where to write the HTML report, if anywhere.</summary>
    public string? HtmlPath { get; init; }

    /// <summary>The quick preset: 3 rounds of short samples, 1 warm-up round, at most 6 JIT warm-up passes, short
    /// idle windows.</summary>
    public static BenchOptions QuickPreset(BenchOptions o) => o with
    {
        Quick = true,
        Rounds = Math.Min(o.Rounds, 3),
        WarmupRounds = 1,
        MaxJitWarmups = 6,
        SampleScale = 0.1,
        HistogramOps = 50,
        IdleWindow = TimeSpan.FromMilliseconds(150),
        IdleWindows = 2,
    };
}
