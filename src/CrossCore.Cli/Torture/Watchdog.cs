using System.Diagnostics;
using System.Text;

namespace CrossCore.Cli.Torture;

/// <summary>
/// Ends a run that cannot finish: if nothing progresses for the stall timeout (or the run overruns its deadline), it
/// records a <see cref="ViolationKind.Hang"/> with what every core and invoker is doing, and ends the run as FAILURE
/// (in the CLI by exiting the process), so a torture run is never left hanging.
/// </summary>
internal sealed class Watchdog : IDisposable
{
    private readonly TortureEngine _engine;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly long _deadline;

    public Watchdog(TortureEngine engine, TimeSpan? deadline)
    {
        _engine = engine;
        _deadline = deadline is { } d ? Stopwatch.GetTimestamp() + (long)(d.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        _thread = new Thread(Run) { IsBackground = true, Name = "torture watchdog" };
    }

    public void Start() => _thread.Start();

    public void Stop() => _stop.Set();

    /// <summary>Stops the thread, waits for it to end, and frees its stop event.</summary>
    public void Dispose()
    {
        _stop.Set();
        if ((_thread.ThreadState & System.Threading.ThreadState.Unstarted) == 0 && _thread != Thread.CurrentThread)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        var stall = (long)(_engine.Options.StallTimeout.TotalSeconds * Stopwatch.Frequency);
        var last = _engine.ProgressCount();
        var lastChange = Stopwatch.GetTimestamp();
        while (!_stop.Wait(200))
        {
            var now = Stopwatch.GetTimestamp();
            var progress = _engine.ProgressCount();
            if (progress != last)
            {
                last = progress;
                lastChange = now;
                if (now < _deadline)
                {
                    continue;
                }
            }

            if (now - lastChange >= stall || now >= _deadline)
            {
                var why = now >= _deadline
                    ? "the run overran its deadline"
                    : $"no progress for {(now - lastChange) / (double)Stopwatch.Frequency:F1} s";
                _engine.DeclareHang($"{why} in phase '{_engine.Phase}'", Describe());
                return;
            }
        }
    }

    /// <summary>What every core, invoker and the hotplug thread is doing.</summary>
    public string Describe()
    {
        var sb = new StringBuilder();
        var set = _engine.Set;
        for (var c = 0; c < set.Count; c++)
        {
            var info = set.GetCoreInfo(c);
            sb.AppendLine($"  core {c}: {info.State}{(info.IsPinned ? $" (cpu {info.HardwareCpu})" : "")}, thread {info.ManagedThreadId}");
        }

        foreach (var invoker in _engine.Invokers)
        {
            sb.AppendLine($"  {invoker.DescribeCurrent()}");
        }

        if (_engine.Toggler is { } toggler)
        {
            sb.AppendLine($"  hotplug thread: {toggler.Activity}");
        }

        var s = set.GetStatistics();
        sb.AppendLine($"  stuck calls now: {set.StuckCallsNow}; runs: sync {s.SyncCallsRun}, async {s.AsyncCallsRun}, deferred {s.DeferredRuns}, task {s.TaskItemsRun}; batches {s.Batches}; wake-ups sent {s.WakeupsSent}, avoided {s.WakeupsAvoided}; parks {s.Parks}");
        return sb.ToString();
    }
}
