
namespace CrossCore.Contenders;

/// <summary>Differences of a set's counters around one run, per operation (P5: wake-ups per request, batches).</summary>
public sealed class StatsProbe(CoreSet set)
{
    private CoreSetStatistics? _before;

    /// <summary>Snapshot before the run (untimed).</summary>
    public void Before() => _before = set.GetStatistics();

    /// <summary>The per-operation deltas since <see cref="Before"/>.</summary>
    public IEnumerable<KeyValuePair<string, double>> After(int ops)
    {
        var b = _before ?? throw new InvalidOperationException("Before was not called.");
        var a = set.GetStatistics();
        var n = Math.Max(1, ops);
        var batches = a.Batches - b.Batches;
        var entries = a.BatchEntries - b.BatchEntries;
        yield return new("wakeups_sent_per_op", (double)(a.WakeupsSent - b.WakeupsSent) / n);
        yield return new("wakeups_avoided_per_op", (double)(a.WakeupsAvoided - b.WakeupsAvoided) / n);
        yield return new("parks_per_op", (double)(a.Parks - b.Parks) / n);
        yield return new("busy_per_op", (double)(a.BusyAnswers - b.BusyAnswers) / n);
        yield return new("mean_batch", batches == 0 ? 0 : (double)entries / batches);
        yield return new("wakeups_sent_per_batch", batches == 0 ? 0 : (double)(a.WakeupsSent - b.WakeupsSent) / batches);
    }
}
