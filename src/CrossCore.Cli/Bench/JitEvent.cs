namespace CrossCore.Cli.Bench;

/// <summary>One method the runtime compiled: its name (type::method) and the tier it was compiled at.</summary>
internal readonly record struct JitEvent(string Method, JitTier Tier)
{
    /// <summary>True for code that is not the final optimized code: tier 0, minimal optimization, on-stack
    /// replacement and the instrumented tiers of dynamic PGO.</summary>
    public bool IsNonOptimized => Tier is JitTier.QuickJitted or JitTier.MinOptJitted or JitTier.OptimizedTier1Osr
        or JitTier.QuickJittedInstrumented or JitTier.OptimizedTier1Instrumented;
}
