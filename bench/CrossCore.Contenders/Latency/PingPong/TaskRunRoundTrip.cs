using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>P1 peer: <c>await Task.Run(f)</c> in a loop, from a thread-pool thread: the idiomatic async hop. The pool
/// often runs <c>f</c> on the awaiting worker itself (no cross-CPU handoff); <c>same_thread_per_op</c> reports how
/// often.</summary>
public sealed class TaskRunRoundTrip : LatencyContender
{
    private static int s_lastThread;
    private static readonly Action s_noop = static () => Volatile.Write(ref s_lastThread, Environment.CurrentManagedThreadId);
    private readonly Placement _placement;
    private int _sameThread;

    /// <summary>Creates the contender.</summary>
    public TaskRunRoundTrip(Placement placement) => _placement = placement; // the pool cannot be pinned

    /// <inheritdoc/>
    public override string Name => "await Task.Run(f) round trip";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override void Begin() => BenchAffinity.EnterThreadPoolRegion();

    /// <inheritdoc/>
    public override void End() => BenchAffinity.LeaveThreadPoolRegion(_placement.DriverCpu);

    /// <inheritdoc/>
    public override void BeforeRun() => _sameThread = 0;

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtra("same_thread_per_op", (double)_sameThread / ops);

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) =>
        Task.Run(() => LoopAsync(ops, clock)).GetAwaiter().GetResult();

    private async Task<long> LoopAsync<TClock>(int ops, TClock clock)
        where TClock : struct, IOpClock
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            var before = Environment.CurrentManagedThreadId;
            await Task.Run(s_noop).ConfigureAwait(false);
            clock.Tick(i);
            if (Volatile.Read(ref s_lastThread) == before)
            {
                _sameThread++;
            }
        }

        return Stopwatch.GetTimestamp() - start;
    }
}
