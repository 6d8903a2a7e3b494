using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Throughput.ManyToOne;

/// <summary>
/// P2, two senders → one consumer (on a 2-CPU machine both senders share CPU 0). Time per item. CrossCore's inbox
/// push is one CAS whatever the number of senders; the raw stack handoff is the baseline.
/// </summary>
[MemoryDiagnoser]
public class ManyToOneBenchmarks : ContenderBenchmarks
{
    private const int Ops = 20_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "raw stack handoff, 2 senders (floor)")]
    public long RawStackHandoff() => Use(p => new RawStackHandoff(p, senders: 2)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore TryPost, 2 senders")]
    public long CrossCoreTryPost() => Use(p => new CrossCoreAsyncThroughput(p, senders: 2)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Post, 2 senders")]
    public long CrossCoreNoWait() => Use(p => new CrossCoreNoWaitThroughput(p, senders: 2)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> spin TryRead, 2 writers")]
    public long ChannelSpin() => Use(p => new ChannelThroughput(p, awaitReader: false, senders: 2)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> await, 2 writers")]
    public long ChannelAwait() => Use(p => new ChannelThroughput(p, awaitReader: true, senders: 2)).Run(Ops);
}
