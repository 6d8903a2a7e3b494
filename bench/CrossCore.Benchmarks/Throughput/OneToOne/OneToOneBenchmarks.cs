using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Throughput.OneToOne;

/// <summary>
/// P2: one sender hands items to one consumer on another CPU; time per item until the consumer has taken them all.
/// The invariant: TryPost with reused descriptors reaches at least 60 % of the raw stack handoff's rate (the
/// baseline here), at least 2× Channel&lt;T&gt;'s, and allocates nothing.
/// </summary>
[MemoryDiagnoser]
public class OneToOneBenchmarks : ContenderBenchmarks
{
    private const int Ops = 20_000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "raw stack handoff (floor)")]
    public long RawStackHandoff() => Use(p => new RawStackHandoff(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "raw stack handoff + O4 fence (reference)")]
    public long RawStackHandoffFenced() => Use(p => new RawStackHandoff(p, fenced: true)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore TryPost (reused descriptors)")]
    public long CrossCoreTryPost() => Use(p => new CrossCoreAsyncThroughput(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Post")]
    public long CrossCoreNoWait() => Use(p => new CrossCoreNoWaitThroughput(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Post (ring 1, kernel)")]
    public long CrossCoreNoWaitRing1() => Use(p => new CrossCoreNoWaitThroughput(p, ring: 1)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> spin TryRead")]
    public long ChannelSpin() => Use(p => new ChannelThroughput(p, awaitReader: false)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> await")]
    public long ChannelAwait() => Use(p => new ChannelThroughput(p, awaitReader: true)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "BlockingCollection<T>")]
    public long BlockingCollection() => Use(p => new BlockingCollectionThroughput(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "ThreadPool.UnsafeQueueUserWorkItem")]
    public long ThreadPoolQueue() => Use(p => new ThreadPoolThroughput(p)).Run(Ops);
}
