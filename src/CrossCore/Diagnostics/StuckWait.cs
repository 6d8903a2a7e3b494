using System.Diagnostics;
using System.Numerics;

namespace CrossCore;

/// <summary>
/// The stuck-call detector's per-wait record (D1), kept on the waiter's stack: the kernel's
/// <c>csd_lock_wait_toolong</c> state (<c>ts0</c>, <c>ts1</c>, <c>bug_id</c>, <c>nmessages</c>). Touched only after
/// the waiter parks, so it costs nothing while calls complete within the poll duration; it never allocates or locks
/// until a report is due.
/// </summary>
/// <remarks>
/// Schedule, as the kernel's: the first report comes <c>timeout</c> after the wait began; after the k-th report the
/// next one comes <c>timeout × k × factor</c> after it, with factor 1 after the first report and
/// <c>log2(cores)/2 + 1</c> afterwards (<see cref="BackoffTicks"/>). So with a 5 s timeout on a small set the reports
/// come at 5, 10, 20, 35, 55 s ... Fail-fast (<see cref="CoreSetOptions.FailFastAfter"/>, the kernel's
/// <c>panic_on_ipistall</c>) has its own deadline, so backoff never delays it, and it works with reports off.
/// </remarks>
internal struct StuckWait
{
    private readonly CoreSet _set;
    private readonly int _target;
    private readonly InboxEntry? _entry;
    private readonly long _start;
    private long _lastReport;
    private int _reports;
    private long _reportId;
    private bool _failedFast;

    public StuckWait(CoreSet set, int target, InboxEntry? entry)
    {
        _set = set;
        _target = target;
        _entry = entry;
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// How long to park before looking again: until the next report or the fail-fast deadline, at most 1 s (so a
    /// timeout changed at run time is picked up within a second: <see cref="SchedulerSeams.ParkWhenNothingDueMs"/>).
    /// </summary>
    public readonly int ParkTimeoutMs()
    {
        var due = NextDue();
        if (due == long.MaxValue)
        {
            return SchedulerSeams.ParkWhenNothingDueMs;
        }

        var remaining = due - Stopwatch.GetTimestamp();
        if (remaining <= 0)
        {
            return 0;
        }

        return (int)Math.Min(1000, (remaining * 1000 / Stopwatch.Frequency) + 1);
    }

    /// <summary>Reports if a report (or fail-fast) is due and <paramref name="done"/> is false.</summary>
    public void CheckAfterWake(bool done)
    {
        if (done)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        var reportDue = ReportDue();
        var failDue = FailFastDue();
        var failing = now >= failDue;
        if (now < reportDue && !failing)
        {
            return;
        }

        if (_reports == 0)
        {
            _reportId = StuckCallDetector.NextReportId();
        }

        _reports++;
        _lastReport = now;
        if (failing)
        {
            _failedFast = true; // only reachable again when a test hook replaced Environment.FailFast
        }

        _set.Detector.ReportStuck(_reportId, _reports, _target, _entry, ToTimeSpan(now - _start), failing);
    }

    /// <summary>Called when the wait ends: says "got unstuck" if it had been reported.</summary>
    public readonly void Finish()
    {
        if (_reports != 0)
        {
            _set.Detector.ReportUnstuck(_reportId, _target, _entry, ToTimeSpan(Stopwatch.GetTimestamp() - _start));
        }
    }

    /// <summary>
    /// The kernel's backoff: after <paramref name="reportsMade"/> reports (k ≥ 1) the next comes
    /// <c>timeout × k × (k == 1 ? 1 : log2(cores)/2 + 1)</c> after the last one.
    /// </summary>
    internal static long BackoffTicks(long timeoutTicks, int reportsMade, int cores)
    {
        var factor = reportsMade <= 1 ? 1 : (BitOperations.Log2((uint)Math.Max(1, cores)) / 2) + 1;
        var multiplier = (long)Math.Min(reportsMade, 1_000_000) * factor;
        return timeoutTicks > long.MaxValue / multiplier ? long.MaxValue : timeoutTicks * multiplier;
    }

    private readonly long NextDue() => Math.Min(ReportDue(), FailFastDue());

    /// <summary>When the next report is due (Stopwatch ticks), or long.MaxValue if reports are off.</summary>
    private readonly long ReportDue()
    {
        var timeout = _set.StuckCallTimeoutTicks;
        if (timeout <= 0)
        {
            return long.MaxValue;
        }

        var due = _reports == 0 ? _start + timeout : _lastReport + BackoffTicks(timeout, _reports, _set.Count);
        return due < _start ? long.MaxValue : due; // overflow
    }

    /// <summary>When to fail fast (Stopwatch ticks), or long.MaxValue if off or already done.</summary>
    private readonly long FailFastDue()
    {
        var failFastAfter = _set.Options.FailFastAfter;
        if (failFastAfter <= TimeSpan.Zero || _failedFast)
        {
            return long.MaxValue;
        }

        var ticks = failFastAfter.TotalSeconds * Stopwatch.Frequency; // in double: long math overflows past ~15 min at 1 GHz
        return ticks >= long.MaxValue - _start ? long.MaxValue : _start + (long)ticks;
    }

    // In double: (ticks * 10^7) in long overflows after ~15 min when Stopwatch.Frequency is 10^9.
    private static TimeSpan ToTimeSpan(long stopwatchTicks) =>
        TimeSpan.FromTicks((long)(stopwatchTicks * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));
}
