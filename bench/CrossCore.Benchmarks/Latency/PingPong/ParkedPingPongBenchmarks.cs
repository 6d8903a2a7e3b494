using BenchmarkDotNet.Attributes;
using CrossCore.Contenders;

namespace CrossCore.Benchmarks.Latency.PingPong;

/// <summary>
/// P3: a round trip to a parked core (poll duration zero: the core and the waiter both block, so each round trip is
/// two kernel wake-ups). The invariant: at most 1.2× a ManualResetEventSlim ping-pong (the baseline here); also
/// reported against the raw futex wait/wake ping-pong, the physical floor of a wake-up (Linux only: elsewhere that
/// case fails at its first call with the reason).
/// </summary>
[MemoryDiagnoser]
public class ParkedPingPongBenchmarks : ContenderBenchmarks
{
    private const int Ops = 50;

    [Benchmark(Baseline = true, OperationsPerInvoke = Ops, Description = "ManualResetEventSlim ping-pong (floor)")]
    public long EventPingPong() => Use(p => new EventPingPong(p)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "CrossCore Invoke to a parked core")]
    public long CrossCoreParked() => Use(p => new CrossCoreSyncPingPong(p, parked: true)).Run(Ops);

    [Benchmark(OperationsPerInvoke = Ops, Description = "raw futex wait/wake ping-pong (physical floor, Linux)")]
    public long FutexPingPong() => Use(p => new FutexPingPong(p)).Run(Ops);
}
