using System.Diagnostics;
using CrossCore.Calls;
using CrossCore.Cores;

namespace CrossCore.Diagnostics;

/// <summary>
/// The stuck-call detector's per-wait record (D1), kept on the waiter's stack: the kernel's
/// <c>csd_lock_wait_toolong</c> state. Touched only after the waiter parks, so it costs nothing while calls complete
/// within the poll duration.
/// </summary>
internal struct StuckWait
{
    private readonly CoreSet _set;
    private readonly int _target;
    private readonly InboxEntry? _entry;
    private readonly long _start;
    private long _nextReport;
    private int _reports;
    private long _reportId;

    public StuckWait(CoreSet set, int target, InboxEntry? entry)
    {
        _set = set;
        _target = target;
        _entry = entry;
        _start = Stopwatch.GetTimestamp();
    }

    /// <summary>How long to park before looking again: until the next report is due (or 1 s when reports are off,
    /// so a timeout changed at run time is picked up).</summary>
    public int ParkTimeoutMs()
    {
        var timeout = _set.StuckCallTimeoutTicks;
        if (timeout <= 0)
        {
            return 1000;
        }

        if (_nextReport == 0)
        {
            _nextReport = _start + timeout;
        }

        var remaining = _nextReport - Stopwatch.GetTimestamp();
        if (remaining <= 0)
        {
            return 0;
        }

        return (int)Math.Min(1000, (remaining * 1000 / Stopwatch.Frequency) + 1);
    }

    /// <summary>Reports if the wait is overdue and <paramref name="done"/> is false.</summary>
    public void CheckAfterWake(bool done)
    {
        if (done || _nextReport == 0)
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        if (now < _nextReport)
        {
            return;
        }

        var timeout = _set.StuckCallTimeoutTicks;
        if (timeout <= 0)
        {
            _nextReport = 0;
            return;
        }

        if (_reports == 0)
        {
            _reportId = _set.Detector.NextReportId();
        }

        _reports++;
        _set.Detector.ReportStuck(_reportId, _reports, _target, _entry, TimeSpan.FromTicks((now - _start) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));

        // Backoff as the kernel does: the n-th report comes timeout × (n+1) × factor after the start, with
        // factor 1 for the first and log2(cores)/2 + 1 afterwards.
        var factor = _reports == 1 ? 1 : (Math.ILogB(Math.Max(1, _set.Count)) / 2) + 1;
        _nextReport = _start + (timeout * (_reports + 1) * factor);
    }

    /// <summary>Called when the wait ends: says "got unstuck" if it had been reported.</summary>
    public readonly void Finish()
    {
        if (_reports != 0)
        {
            _set.Detector.ReportUnstuck(_reportId, _target, _entry, TimeSpan.FromTicks((Stopwatch.GetTimestamp() - _start) * TimeSpan.TicksPerSecond / Stopwatch.Frequency));
        }
    }
}
