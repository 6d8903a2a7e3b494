namespace CrossCore.Cli.Bench;

/// <summary>The optimization tier a method was compiled at, as the runtime's JIT events encode it.</summary>
internal enum JitTier
{
    Unknown = 0,
    MinOptJitted = 1,
    Optimized = 2,
    QuickJitted = 3,
    OptimizedTier1 = 4,
    OptimizedTier1Osr = 5,
    QuickJittedInstrumented = 6,
    OptimizedTier1Instrumented = 7,
}
