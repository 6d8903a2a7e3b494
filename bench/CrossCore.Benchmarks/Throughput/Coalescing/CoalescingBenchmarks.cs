using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Throughput.Coalescing;

/// <summary>
/// Deferred work queued in a loop at a core: every queue while the work is pending coalesces. Time per queue attempt
/// against the bare claim-flag protocol (the baseline) and the BCL's flag + ThreadPool pattern. Queue + run of a
/// reused DeferredWork allocates nothing (P4).
/// </summary>
[MemoryDiagnoser]
public class CoalescingBenchmarks : ContenderBenchmarks
{
    private const int Ops = 20_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "raw claim flag + spinning runner (floor)")]
    public long RawFlag() => Use(p => new RawFlagCoalescing(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore DeferredWork.QueueOn")]
    public long CrossCoreDeferredWork() => Use(p => new CrossCoreDeferredCoalescing(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "flag + ThreadPool (BCL pattern)")]
    public long ThreadPoolFlag() => Use(p => new ThreadPoolFlagCoalescing(p)).Run(Ops);
}
