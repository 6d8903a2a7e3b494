
namespace CrossCore.Cli.Torture;

/// <summary>
/// Collects the stuck-call detector's reports (D1) through <see cref="CoreSetOptions.OnStuckCall"/>: counts them,
/// keeps the first few for the report, and counts a lost wake-up (a parked target with work in its inbox) as a
/// violation. Thread-safe; never floods the screen.
/// </summary>
internal sealed class StuckCallLog
{
    private const int Keep = 8;
    private readonly TortureEngine _engine;
    private readonly List<string> _first = [];
    private long _reports;
    private long _incidents;
    private long _unstuck;

    public StuckCallLog(TortureEngine engine) => _engine = engine;

    public long Reports => Volatile.Read(ref _reports);

    public long Incidents => Volatile.Read(ref _incidents);

    public long Unstuck => Volatile.Read(ref _unstuck);

    public IReadOnlyList<string> First
    {
        get
        {
            lock (_first)
            {
                return [.. _first];
            }
        }
    }

    public void Add(StuckCallReport report)
    {
        Interlocked.Increment(ref _reports);
        if (report.IsUnstuck)
        {
            Interlocked.Increment(ref _unstuck);
        }
        else if (report.Sequence == 1)
        {
            Interlocked.Increment(ref _incidents);
        }

        lock (_first)
        {
            if (_first.Count < Keep)
            {
                _first.Add(report.ToString());
            }
        }

        // A waiter past the timeout whose target is parked although its inbox holds work: nobody woke it (O7).
        if (!report.IsUnstuck && report.TargetActivity == TargetActivity.Parked && report.InboxDepth > 0)
        {
            _engine.Violations.Add(ViolationKind.LostWakeup, null, report.ToString());
        }
    }
}
