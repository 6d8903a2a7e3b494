namespace CrossCore.Cli.Top;

/// <summary>
/// What <c>crosscore top</c> knows about the watched process: one <see cref="CoreRow"/> per core, updated from the
/// metric events as they arrive (on the event-stream thread) and read by the display (on the main thread).
/// </summary>
internal sealed class TopModel(double intervalSeconds)
{
    private readonly object _gate = new();
    private readonly SortedDictionary<CoreKey, CoreRow> _rows = new(Comparer<CoreKey>.Create(
        static (a, b) => string.CompareOrdinal(a.Set, b.Set) is var bySet and not 0 ? bySet : a.Core.CompareTo(b.Core)));

    private int _collections;
    private string? _error;

    /// <summary>Collection intervals seen so far (the process's <c>CollectionStop</c> events).</summary>
    public int Collections
    {
        get
        {
            lock (_gate)
            {
                return _collections;
            }
        }
    }

    /// <summary>An error the process reported (e.g. another metrics session is running), or null.</summary>
    public string? Error
    {
        get
        {
            lock (_gate)
            {
                return _error;
            }
        }
    }

    /// <summary>Applies one published value of a per-core instrument; others are ignored.</summary>
    public void Apply(MetricEvent e)
    {
        if (!e.Tags.TryGetValue("set", out var set) || !e.Tags.TryGetValue("crosscore.core", out var coreText) ||
            !int.TryParse(coreText, System.Globalization.CultureInfo.InvariantCulture, out var core))
        {
            return;
        }

        var perSecond = e.Rate / intervalSeconds;
        lock (_gate)
        {
            var key = new CoreKey(set, core);
            if (!_rows.TryGetValue(key, out var row))
            {
                _rows[key] = row = new CoreRow();
            }

            switch (e.Instrument)
            {
                case "crosscore.core.state" when e.Value == 1 && e.Tags.TryGetValue("crosscore.core.state", out var state):
                    row.State = state;
                    break;
                case "crosscore.core.calls":
                    row.CallsPerSecond = perSecond ?? row.CallsPerSecond;
                    break;
                case "crosscore.core.lane_calls":
                    row.LaneCallsPerSecond = perSecond ?? row.LaneCallsPerSecond;
                    break;
                case "crosscore.core.batches":
                    row.BatchesPerSecond = perSecond ?? row.BatchesPerSecond;
                    break;
                case "crosscore.core.batch.entries":
                    row.EntriesPerSecond = perSecond ?? row.EntriesPerSecond;
                    break;
                case "crosscore.core.wakeups" when e.Tags.GetValueOrDefault("result") == "sent":
                    row.WakeupsSentPerSecond = perSecond ?? row.WakeupsSentPerSecond;
                    break;
                case "crosscore.core.wakeups" when e.Tags.GetValueOrDefault("result") == "avoided":
                    row.WakeupsAvoidedPerSecond = perSecond ?? row.WakeupsAvoidedPerSecond;
                    break;
                case "crosscore.core.stuck_calls" when e.Value is { } stuck:
                    row.StuckNow = (long)stuck;
                    break;
            }
        }
    }

    /// <summary>One collection interval ended.</summary>
    public void CollectionDone()
    {
        lock (_gate)
        {
            _collections++;
        }
    }

    /// <summary>Records an error the process reported.</summary>
    public void Fail(string error)
    {
        lock (_gate)
        {
            _error = error;
        }
    }

    /// <summary>A copy of the rows, ordered by set and core.</summary>
    public IReadOnlyList<(CoreKey Key, CoreRow Row)> Snapshot()
    {
        lock (_gate)
        {
            return [.. _rows.Select(static p => (p.Key, Copy(p.Value)))];
        }

        static CoreRow Copy(CoreRow r) => new()
        {
            State = r.State,
            CallsPerSecond = r.CallsPerSecond,
            LaneCallsPerSecond = r.LaneCallsPerSecond,
            BatchesPerSecond = r.BatchesPerSecond,
            EntriesPerSecond = r.EntriesPerSecond,
            WakeupsSentPerSecond = r.WakeupsSentPerSecond,
            WakeupsAvoidedPerSecond = r.WakeupsAvoidedPerSecond,
            StuckNow = r.StuckNow,
        };
    }
}
