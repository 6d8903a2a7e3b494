using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Latency.PingPong;

/// <summary>
/// P1: one request and its answer between two CPUs, the target polling. The invariant: a CrossCore sync call costs at
/// most 1.5× the raw cache-line ping-pong (the baseline here), is at least 2.5× faster than the best Channel&lt;T&gt;
/// ping-pong, and allocates nothing. Times are per round trip.
/// </summary>
[MemoryDiagnoser]
public class PingPongBenchmarks : ContenderBenchmarks
{
    private const int Ops = 2000;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "raw padded ping-pong (floor)")]
    public long RawPingPong() => Use(p => new RawPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Invoke outside→core")]
    public long CrossCoreSync() => Use(p => new CrossCoreSyncPingPong(p, parked: false)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Invoke outside→core, inbox only (SenderLaneCount = 0)")]
    public long CrossCoreSyncInboxOnly() => Use(p => new CrossCoreSyncPingPong(p, parked: false, inboxOnly: true)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Invoke core→core")]
    public long CrossCoreCoreToCore() => Use(p => new CrossCoreCoreToCorePingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> spin TryRead")]
    public long ChannelSpin() => Use(p => new ChannelSpinPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> await ReadAsync")]
    public long ChannelAwait() => Use(p => new ChannelAwaitPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "BlockingCollection<T>")]
    public long BlockingCollection() => Use(p => new BlockingCollectionPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "ThreadPool.UnsafeQueueUserWorkItem")]
    public long ThreadPoolQueue() => Use(p => new ThreadPoolRoundTrip(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "await Task.Run")]
    public long TaskRunAwait() => Use(p => new TaskRunRoundTrip(p)).Run(Ops);
}
