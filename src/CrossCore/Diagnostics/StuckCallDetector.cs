using System.Diagnostics;

namespace CrossCore;

/// <summary>
/// The stuck-call detector of one set (D1, the kernel's CSD lock-wait debugging). Waiters call it only after their
/// park times out (<see cref="StuckWait"/>), so it costs nothing while calls complete.
/// </summary>
internal sealed class StuckCallDetector
{
    private static long s_nextId;
    private readonly CoreSet _set;
    private int _stuckNow;
    private long _reports;

    public StuckCallDetector(CoreSet set) => _set = set;

    /// <summary>How many waits are stuck right now (the kernel's <c>csd_lock_is_stuck()</c>).</summary>
    public int StuckNow => StatCounter.Read(ref _stuckNow);

    /// <summary>How many reports were made (first reports and repeats).</summary>
    public long Reports => StatCounter.Read(ref _reports);

    /// <summary>A new incident id (#N), unique in the process.</summary>
    public static long NextReportId() => Interlocked.Increment(ref s_nextId); // atomic: racing reporters get distinct ids

    /// <summary>
    /// Test seam for fail-fast: when set, called with the message instead of <see cref="Environment.FailFast(string)"/>
    /// (a test cannot survive the real one). Null in production.
    /// </summary>
    internal static Action<string>? FailFastHook;

    /// <summary>
    /// Reports a wait past the timeout (the kernel's "Detected/Continued non-responsive CSD lock"); re-sends the
    /// wake-up if the target is parked; fails fast if <paramref name="failFast"/> (FailFastAfter reached).
    /// </summary>
    public void ReportStuck(long id, int sequence, int target, InboxEntry? waitedFor, TimeSpan waited, bool failFast)
    {
        if (sequence == 1)
        {
            StatCounter.Add(ref _stuckNow);
        }

        StatCounter.Add(ref _reports);

        var core = target >= 0 && target < _set.Count ? _set.GetCoreUnchecked(target) : null;
        if (sequence == 1)
        {
            core?.Counters.AddStuck(1); // per target core, for the per-core view (crosscore.core.stuck_calls)
        }

        var activity = TargetActivity.Unknown;
        Delegate? other = null;
        var runningFor = TimeSpan.Zero;
        var resent = false;
        var depth = 0;
        if (core is not null)
        {
            depth = core.ApproximateInboxDepth();
            if (core.ReadRunRecord(out var running, out var function, out runningFor))
            {
                if (running is not null && running == waitedFor)
                {
                    activity = TargetActivity.RunningThisCall;
                }
                else
                {
                    activity = TargetActivity.RunningOtherFunction;
                    other = function;
                }
            }
            else if (!core.IsOnline)
            {
                activity = TargetActivity.Offline;
            }
            else
            {
                switch (core.Parker.State)
                {
                    case Parker.Parked:
                        // The kernel's "Re-sending CSD lock IPI": the target runs nothing and sleeps, so a wake-up may
                        // have been lost. Harmless if not: a woken core with nothing to do parks again.
                        activity = TargetActivity.Parked;
                        core.Parker.ForceWake();
                        resent = true;
                        break;
                    case Parker.Polling:
                        activity = TargetActivity.Polling;
                        break;
                    default:
                        activity = TargetActivity.RunningTaskContext;
                        break;
                }
            }
        }

        var here = CoreContext.CurrentCore;
        var report = new StuckCallReport
        {
            Id = id,
            Sequence = sequence,
            WaitingCore = here is not null && here.Set == _set ? here.Id : -1,
            WaitingThreadId = Environment.CurrentManagedThreadId,
            WaitingThreadName = Thread.CurrentThread.Name,
            TargetCore = core is null ? -1 : target,
            Function = waitedFor?.DiagnosticFunction,
            State = waitedFor?.StateForDiagnostics,
            Waited = waited,
            TargetActivity = activity,
            OtherFunction = other,
            TargetRunningFor = runningFor,
            InboxDepth = depth,
            ThroughSenderLane = waitedFor is LaneCall,
            WakeupResent = resent,
            FailingFast = failFast,
            WaiterStackTrace = sequence == 1 ? new StackTrace(2, false).ToString() : null, // the kernel dumps the waiter's stack once
        };

        Publish(report);

        if (failFast)
        {
            var message = $"CrossCore: a call has been stuck longer than FailFastAfter ({_set.Options.FailFastAfter}). {report}";
            if (FailFastHook is { } hook)
            {
                hook(message);
            }
            else
            {
                Environment.FailFast(message);
            }
        }
    }

    /// <summary>Reports that a reported wait completed ("got unstuck").</summary>
    public void ReportUnstuck(long id, int target, InboxEntry? waitedFor, TimeSpan waited)
    {
        StatCounter.Add(ref _stuckNow, -1);
        if (target >= 0 && target < _set.Count)
        {
            _set.GetCoreUnchecked(target).Counters.AddStuck(-1); // pairs with the +1 of the first report (same target)
        }

        var here = CoreContext.CurrentCore;
        Publish(new StuckCallReport
        {
            Id = id,
            Sequence = 0,
            WaitingCore = here is not null && here.Set == _set ? here.Id : -1,
            WaitingThreadId = Environment.CurrentManagedThreadId,
            WaitingThreadName = Thread.CurrentThread.Name,
            TargetCore = target,
            Function = waitedFor?.DiagnosticFunction,
            State = null,
            Waited = waited,
            TargetActivity = TargetActivity.Unknown,
        });
    }

    private void Publish(StuckCallReport report)
    {
        _set.Telemetry.StuckReport(report);
        try
        {
            if (_set.Options.OnStuckCall is { } sink)
            {
                sink(report);
            }
            else
            {
                // The default sink (no ILogger dependency): one line per report on standard error, plus the waiter's
                // stack under the first report of an incident.
                var text = report.WaiterStackTrace is { } stack ? $"{report}{Environment.NewLine}{Indent(stack)}" : report.ToString();
                Console.Error.WriteLine(text);
            }
        }
        catch (Exception)
        {
            // A report sink must not take the waiter down; the report was also published as an event.
        }
    }

    private static string Indent(string stack) =>
        "\twaiter stack:" + Environment.NewLine + string.Join(Environment.NewLine,
            stack.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(l => "\t  " + l));
}
