using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P7: <c>await InvokeAsync(1, f, state)</c> in a loop, either from an <c>async</c> method on the thread pool (outside
/// the set: a quick answer completes the task within the call's spin, a slow one queues the continuation to the pool) or
/// from task-context work on core 0 (the completion travels back through core 0's inbox and the continuation resumes
/// there). Bytes per op are measured inside the loop: on core 0's thread, or process-wide for the pool loop.
/// </summary>
public sealed class CrossCoreInvokeAsyncRoundTrip : CrossCoreLatencyContender
{
    private readonly PaddedCounter _state = new();
    private readonly Placement _placement;
    private readonly bool _fromCore;
    private int _completedAtReturn;

    /// <summary>Starts a two-core set; <paramref name="fromCore"/>: await from core 0's task context, else from the pool.</summary>
    public CrossCoreInvokeAsyncRoundTrip(Placement placement, bool fromCore)
        : base(placement.CoreSetOptions(fromCore ? "bench await c2c" : "bench await", 2))
    {
        _placement = placement;
        _fromCore = fromCore;
    }

    /// <inheritdoc/>
    public override string Name => _fromCore
        ? "CrossCore InvokeAsync, core 0 → core 1 (await in RunAsync)"
        : "CrossCore InvokeAsync, outside async method → core";

    /// <inheritdoc/>
    public override string? PinningError => Set.GetCoreInfo(0).PinningError ?? Set.GetCoreInfo(1).PinningError;

    /// <inheritdoc/>
    public override void Begin()
    {
        if (!_fromCore)
        {
            // The awaiting async method runs on pool threads: put them on the driver's CPU, as the peer's ping thread is,
            // so none shares the target core's CPU (a pool thread there waits behind the core's polling, tens of µs).
            BenchAffinity.PinThreadPool(_placement.DriverCpu);
        }

        Loop(64, default(NoClock));
    }

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        base.AfterRun(ops);
        SetExtra("completed_at_return_per_op", (double)_completedAtReturn / ops);
    }

    /// <inheritdoc/>
    public override void End()
    {
        if (!_fromCore)
        {
            BenchAffinity.FreeThreadPool();
            BenchAffinity.LeaveThreadPoolRegion(_placement.DriverCpu);
        }
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) => _fromCore
        ? Set.RunAsync(0, static s => s.self.AwaitLoop(s.ops, s.clock, measureThread: true), (self: this, ops, clock)).GetAwaiter().GetResult()
        : Task.Run(() => AwaitLoop(ops, clock, measureThread: false)).GetAwaiter().GetResult();

    private async Task<long> AwaitLoop<TClock>(int ops, TClock clock, bool measureThread)
        where TClock : struct, IOpClock
    {
        var set = Set;
        var state = _state;
        var allocated = measureThread ? GC.GetAllocatedBytesForCurrentThread() : GC.GetTotalAllocatedBytes(precise: true);
        var start = Stopwatch.GetTimestamp();
        var completedAtReturn = 0;
        for (var i = 0; i < ops; i++)
        {
            var call = set.InvokeAsync(1, static c => c.Increment(), state);
            completedAtReturn += call.IsCompleted ? 1 : 0; // from outside: the answer came within the call's spin
            await call;
            clock.Tick(i);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        _completedAtReturn = completedAtReturn;
        if (measureThread)
        {
            RecordLoopBytes(GC.GetAllocatedBytesForCurrentThread() - allocated); // on core 0, where every continuation runs
        }
        else
        {
            RecordLoopBytes(GC.GetTotalAllocatedBytes(precise: true) - allocated, processWide: true); // pool threads, cores, all
        }

        return elapsed;
    }
}
