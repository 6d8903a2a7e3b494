using BenchmarkDotNet.Attributes;
using CrossCore.Cli.Bench.Contenders;

namespace CrossCore.Benchmarks.Throughput.Broadcast;

/// <summary>
/// One request to every other CPU and wait for all: CallMany from outside the set, OnEachCore from core 0 (its own
/// share inline), against a raw padded-line broadcast (the baseline). Both CrossCore calls allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks : ContenderBenchmarks
{
    private const int Ops = 2000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "raw padded-line broadcast (floor)")]
    public long RawBroadcast() => Use(p => new RawBroadcast(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore CallMany(wait)")]
    public long CrossCoreCallMany() => Use(p => new CrossCoreCallMany(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore OnEachCore(wait) from core 0")]
    public long CrossCoreOnEachCore() => Use(p => new CrossCoreOnEachCore(p)).Run(Ops);
}
