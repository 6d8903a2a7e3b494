using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Throughput.Broadcast;

/// <summary>
/// One request to every other CPU and wait for all: InvokeMany from outside the set, InvokeOnEach from core 0 (its own
/// share inline), against a raw padded-line broadcast (the baseline). Both CrossCore calls allocate nothing.
/// </summary>
[MemoryDiagnoser]
public class BroadcastBenchmarks : ContenderBenchmarks
{
    private const int Ops = 2000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "raw padded-line broadcast (floor)")]
    public long RawBroadcast() => Use(p => new RawBroadcast(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore InvokeMany")]
    public long CrossCoreInvokeMany() => Use(p => new CrossCoreInvokeMany(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore InvokeOnEach from core 0")]
    public long CrossCoreInvokeOnEach() => Use(p => new CrossCoreInvokeOnEach(p)).Run(Ops);
}
