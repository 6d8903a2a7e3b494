using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Latency.PingPong;

/// <summary>
/// P7: an awaited round trip. The invariant: <c>await InvokeAsync</c>, from an outside <c>async</c> method and from a
/// core's task context to another core, is faster than a Channel&lt;T&gt; await ping-pong whose two ends run on two
/// threads (the baseline here), and allocates nothing. Times are per round trip.
/// </summary>
[MemoryDiagnoser]
public class AwaitBenchmarks : ContenderBenchmarks
{
    private const int Ops = 500;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "Channel<T> await ping-pong, two threads")]
    public long ChannelAwaitTwoThreads() => Use(p => new ChannelAwaitTwoThreadPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore InvokeAsync outside→core")]
    public long InvokeAsyncOutside() => Use(p => new CrossCoreInvokeAsyncRoundTrip(p, fromCore: false)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore InvokeAsync core→core")]
    public long InvokeAsyncCoreToCore() => Use(p => new CrossCoreInvokeAsyncRoundTrip(p, fromCore: true)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "Channel<T> await ping-pong, pool")]
    public long ChannelAwaitPool() => Use(p => new ChannelAwaitPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "await Task.Run")]
    public long TaskRunAwait() => Use(p => new TaskRunRoundTrip(p)).Run(Ops);
}
