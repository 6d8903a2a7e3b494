namespace CrossCore.Cli.Bench;

/// <summary>How the runtime compiles the measured code (<c>crosscore bench --jit</c>).</summary>
internal enum JitMode
{
    /// <summary>The runtime's default tiered compilation (tier 0, then tier 1 with dynamic PGO); the runner warms every
    /// contender until nothing is compiled any more while it runs.</summary>
    Tiered,

    /// <summary>Tiered compilation off and ReadyToRun code ignored: every method is compiled fully optimized once
    /// (DOTNET_TieredCompilation=0, DOTNET_ReadyToRun=0); no dynamic PGO.</summary>
    Tier1Only,
}
