using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// A CrossCore round-trip contender: owns its set, reports the set's statistics per operation after each run
/// (<see cref="StatsProbe"/>) and, for loops that run on core 0 (<see cref="TimeOnCore0"/>), the bytes allocated inside
/// the loop.
/// </summary>
public abstract class CrossCoreLatencyContender : LatencyContender
{
    private readonly StatsProbe _probe;
    private long _loopBytes = -1;
    private bool _loopBytesProcessWide;

    /// <summary>Starts the contender's set.</summary>
    protected CrossCoreLatencyContender(CoreSetOptions options)
    {
        Set = new CoreSet(options);
        _probe = new StatsProbe(Set);
    }

    /// <summary>The set (for tests and diagnostics).</summary>
    public CoreSet Set { get; }

    /// <inheritdoc/>
    public sealed override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override void Begin() => Loop(16, default(NoClock));

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        SetExtras(_probe.After(ops));
        if (_loopBytes >= 0)
        {
            // Inside the loop, the calls alone: on the awaiting core's thread, or process-wide for a loop that hops threads.
            SetExtra(_loopBytesProcessWide ? "loop_process_bytes_per_op" : "loop_bytes_per_op", (double)_loopBytes / ops);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        Set.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>Records the bytes allocated inside the last loop: on the thread where every call was made, or
    /// (<paramref name="processWide"/>) by the whole process, for a loop whose continuations hop between pool threads.</summary>
    protected void RecordLoopBytes(long bytes, bool processWide = false)
    {
        _loopBytes = bytes;
        _loopBytesProcessWide = processWide;
    }

    /// <summary>Runs <paramref name="ops"/> calls from the calling thread, <c>clock.Tick(i)</c> after each; returns the
    /// elapsed ticks of the loop.</summary>
    protected static long TimeHere<TCall, TClock>(int ops, TClock clock, TCall call)
        where TCall : struct, IRoundTrip
        where TClock : struct, IOpClock
    {
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            call.Run();
            clock.Tick(i);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    /// <summary>Runs <paramref name="ops"/> calls as task-context work on core 0 (<c>RunAsync</c>), <c>clock.Tick(i)</c>
    /// after each, and records the bytes allocated inside the loop; returns the elapsed ticks of the loop.</summary>
    protected long TimeOnCore0<TCall, TClock>(int ops, TClock clock, TCall call)
        where TCall : struct, IRoundTrip
        where TClock : struct, IOpClock
    {
        return Set.RunAsync(0, () =>
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < ops; i++)
            {
                call.Run();
                clock.Tick(i);
            }

            var elapsed = Stopwatch.GetTimestamp() - start;
            RecordLoopBytes(GC.GetAllocatedBytesForCurrentThread() - allocated);
            return elapsed;
        }).GetAwaiter().GetResult();
    }
}
