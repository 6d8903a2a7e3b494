using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// The <c>CrossCore</c> Meter (D3): instruments over every live set's counters, visible with
/// <c>dotnet-counters monitor --counters CrossCore</c> or a <see cref="MeterListener"/>.
/// </summary>
/// <remarks>
/// <para>Counters are observable: the runtime keeps its per-core counters anyway (plain adds on the core thread,
/// interlocked adds on the few sender paths that count), and the Meter reads them only when a collector asks. So the
/// counters cost nothing extra, listened to or not. Histograms are recorded only while an instrument is enabled
/// (<see cref="Instrument.Enabled"/>, one load and a branch otherwise).</para>
/// <para>Measurements are tagged <c>set</c> = <see cref="CoreSetOptions.Name"/>; sets that share a name are summed.
/// When a set is disposed its final counts are kept under its name, so every counter stays monotonic for the life of
/// the process (one small record per distinct set name).</para>
/// <para>One instance per Meter: <see cref="Default"/> owns the process-wide static Meter that every set reports to
/// unless its options name an <see cref="IMeterFactory"/> (<see cref="CoreSetOptions.MeterFactory"/>, what a DI host
/// passes); then the factory's Meter (same name, same instruments) reports that set instead, and the static one does
/// not, so a tool listening to the name <c>CrossCore</c> sees each set once.</para>
/// </remarks>
internal sealed class CrossCoreMetrics
{
    /// <summary>The Meter's name.</summary>
    public const string MeterName = "CrossCore";

    /// <summary>The instruments on a factory's Meter, one instance per Meter (a DI factory caches Meters by name,
    /// so two sets built with one factory share one Meter, and its instruments must be created once).</summary>
    private static readonly ConditionalWeakTable<Meter, CrossCoreMetrics> s_byMeter = new();

    private readonly List<CoreSet> _sets = [];
    private readonly Dictionary<string, long[]> _retired = new(StringComparer.Ordinal);

    private readonly Meter _meter;

    /// <summary>The static Meter's instruments: every set whose options give no <see cref="IMeterFactory"/>.</summary>
    public static CrossCoreMetrics Default { get; } = new(new Meter(MeterName, Version));

    /// <summary><c>crosscore.batch.size</c>: entries per detached inbox batch (P5: grows under load).</summary>
    public Histogram<int> BatchSize { get; }

    /// <summary><c>crosscore.sync_call.duration</c>: a waiting single-core call (<c>Invoke</c>) from queueing to return, in seconds.</summary>
    /// <remarks>Named and measured as .NET and OpenTelemetry name durations (<c>*.duration</c>, unit <c>s</c>, a
    /// double); the bucket advice spans 1 µs to 10 s because the default OpenTelemetry buckets start at 5 ms.</remarks>
    public Histogram<double> SyncCallDuration { get; }

    private static string? Version => typeof(CrossCoreMetrics).Assembly.GetName().Version?.ToString();

    private CrossCoreMetrics(Meter meter)
    {
        _meter = meter;
        BatchSize = _meter.CreateHistogram<int>(
            "crosscore.batch.size", "{entry}", "Requests per inbox batch a core detached (one detach, one wake-up at most).");
        SyncCallDuration = _meter.CreateHistogram(
            "crosscore.sync_call.duration", "s", "Duration of waiting single-core calls (Invoke), from queueing to return.",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets() });
        _meter.CreateObservableCounter("crosscore.calls", ObserveCalls, "{call}",
            "Requests by kind (sync, async, deferred, task; inline: run on the caller's own core without an inbox) and outcome (ran; busy: TryPost on a descriptor in flight; offline: refused).");
        _meter.CreateObservableCounter("crosscore.wakeups", ObserveWakeups, "{wakeup}",
            "Wake-up decisions after a push onto an empty inbox: sent (the core was parked) or avoided (it was polling).");
        _meter.CreateObservableCounter("crosscore.busy_answers", () => Observe(Slot.Busy), "{call}",
            "TryPost answered Busy (the descriptor was in flight); the same as crosscore.calls{kind=async,outcome=busy}.");
        _meter.CreateObservableCounter("crosscore.deferred.runs", () => Observe(Slot.DeferredRun), "{run}",
            "Deferred-work function runs.");
        _meter.CreateObservableCounter("crosscore.deferred.coalesced", () => Observe(Slot.Coalesced), "{queue}",
            "Deferred-work queues that coalesced (the work was already pending).");
        _meter.CreateObservableCounter("crosscore.exceptions", () => Observe(Slot.Exceptions), "{exception}",
            "Exceptions thrown by call and deferred functions on the cores (re-thrown to waiters or reported).");
        _meter.CreateObservableCounter("crosscore.stuck_reports", () => Observe(Slot.StuckReports), "{report}",
            "Stuck-call reports (first reports and repeats).");
        _meter.CreateObservableCounter("crosscore.lane_calls", () => Observe(Slot.LaneRun), "{call}",
            "Waiting calls served through sender lanes instead of the inbox (a part of crosscore.calls{kind=sync,outcome=ran}; in no batch).");
        _meter.CreateObservableCounter("crosscore.batches", () => Observe(Slot.Batches), "{batch}",
            "Inbox batches detached by the cores.");
        _meter.CreateObservableCounter("crosscore.parks", () => Observe(Slot.Parks), "{park}",
            "Times a core parked (blocked until woken) after polling.");
        _meter.CreateObservableUpDownCounter("crosscore.stuck_calls", ObserveStuckNow, "{call}",
            "Waits currently stuck past the stuck-call timeout (the kernel's csd_lock_is_stuck).");
        PerCoreInstruments.Create(_meter, LiveSets);
    }

    /// <summary>Indexes of a set's totals.</summary>
    private enum Slot
    {
        SyncRun,
        LaneRun,
        AsyncRun,
        InlineRun,
        DeferredRun,
        TaskRun,
        Busy,
        OfflineSync,
        OfflineAsync,
        OfflineDeferred,
        OfflineTask,
        WakeSent,
        WakeAvoided,
        Coalesced,
        Exceptions,
        StuckReports,
        Batches,
        Parks,
        Count,
    }

    /// <summary>True while someone listens to the sync-call duration (the caller then reads the clock).</summary>
    public bool SyncLatencyOn => SyncCallDuration.Enabled;

    /// <summary>The instruments a set reports to: <see cref="Default"/>, or those on <paramref name="factory"/>'s Meter.</summary>
    public static CrossCoreMetrics For(IMeterFactory? factory) =>
        factory is null ? Default : s_byMeter.GetValue(factory.Create(new MeterOptions(MeterName) { Version = Version }), static meter => new CrossCoreMetrics(meter));

    /// <summary>Adds a set to the ones the instruments observe.</summary>
    public void Register(CoreSet set)
    {
        lock (_sets)
        {
            _sets.Add(set);
        }
    }

    /// <summary>Removes a disposed set, keeping its final counts under its name (counters stay monotonic).</summary>
    public void Unregister(CoreSet set)
    {
        var final = Totals(set);
        lock (_sets)
        {
            if (!_sets.Remove(set))
            {
                return;
            }

            if (!_retired.TryGetValue(set.Options.Name, out var retired))
            {
                _retired[set.Options.Name] = retired = new long[(int)Slot.Count];
            }

            for (var i = 0; i < retired.Length; i++)
            {
                retired[i] += final[i];
            }
        }
    }

    /// <summary>Records one sync call's duration in seconds, from <paramref name="startTimestamp"/> (Stopwatch ticks) to now.</summary>
    public void RecordSyncLatency(string set, long startTimestamp)
    {
        var seconds = Stopwatch.GetElapsedTime(startTimestamp).TotalSeconds;
        SyncCallDuration.Record(seconds, new KeyValuePair<string, object?>("set", set));
    }

    /// <summary>Histogram bucket boundaries for call durations in seconds: 1, 2, 5 per decade from 1 µs to 10 s.</summary>
    private static double[] DurationBuckets() =>
    [
        1e-6, 2e-6, 5e-6, 1e-5, 2e-5, 5e-5, 1e-4, 2e-4, 5e-4, 1e-3, 2e-3, 5e-3,
        0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10,
    ];

    // ------------------------------------------------------------------------------------------------------------
    // Observation (runs only when a collector asks; allocation here is fine)
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>The live sets (a copy; observation callbacks only).</summary>
    private CoreSet[] LiveSets()
    {
        lock (_sets)
        {
            return [.. _sets];
        }
    }

    private static long[] Totals(CoreSet set)
    {
        var t = new long[(int)Slot.Count];
        foreach (var core in set.Cores)
        {
            var c = core.Counters;
            // Snapshots of the counters (StatCounter.Read: the core-thread fields here, the sender-side ones in their accessors).
            t[(int)Slot.SyncRun] += StatCounter.Read(ref c.SyncRun);
            t[(int)Slot.LaneRun] += StatCounter.Read(ref c.LaneRun);
            t[(int)Slot.AsyncRun] += StatCounter.Read(ref c.AsyncRun);
            t[(int)Slot.InlineRun] += StatCounter.Read(ref c.InlineRun);
            t[(int)Slot.DeferredRun] += StatCounter.Read(ref c.DeferredRun);
            t[(int)Slot.TaskRun] += StatCounter.Read(ref c.TaskRun);
            t[(int)Slot.Exceptions] += StatCounter.Read(ref c.Exceptions);
            t[(int)Slot.Batches] += StatCounter.Read(ref c.Batches);
            t[(int)Slot.Parks] += StatCounter.Read(ref c.Parks);
            t[(int)Slot.Busy] += c.BusyAnswers;
            t[(int)Slot.OfflineSync] += c.OfflineAnswers(EntryKind.Sync);
            t[(int)Slot.OfflineAsync] += c.OfflineAnswers(EntryKind.Async);
            t[(int)Slot.OfflineDeferred] += c.OfflineAnswers(EntryKind.DeferredWork);
            t[(int)Slot.OfflineTask] += c.OfflineAnswers(EntryKind.TaskWork);
            t[(int)Slot.WakeSent] += c.WakeupsSent;
            t[(int)Slot.WakeAvoided] += c.WakeupsAvoided;
            t[(int)Slot.Coalesced] += c.Coalesced;
        }

        t[(int)Slot.StuckReports] = set.Detector.Reports;
        return t;
    }

    /// <summary>Totals per set name: live sets plus the retired counts of disposed ones.</summary>
    private Dictionary<string, long[]> Snapshot()
    {
        CoreSet[] live;
        var byName = new Dictionary<string, long[]>(StringComparer.Ordinal);
        lock (_sets)
        {
            live = [.. _sets];
            foreach (var (name, retired) in _retired)
            {
                byName[name] = (long[])retired.Clone();
            }
        }

        foreach (var set in live)
        {
            var totals = Totals(set);
            if (byName.TryGetValue(set.Options.Name, out var sum))
            {
                for (var i = 0; i < sum.Length; i++)
                {
                    sum[i] += totals[i];
                }
            }
            else
            {
                byName[set.Options.Name] = totals;
            }
        }

        return byName;
    }

    private IEnumerable<Measurement<long>> Observe(Slot slot)
    {
        foreach (var (name, totals) in Snapshot())
        {
            yield return new Measurement<long>(totals[(int)slot], new KeyValuePair<string, object?>("set", name));
        }
    }

    private IEnumerable<Measurement<long>> ObserveCalls()
    {
        foreach (var (name, t) in Snapshot())
        {
            yield return Call(name, "sync", "ran", t[(int)Slot.SyncRun]);
            yield return Call(name, "async", "ran", t[(int)Slot.AsyncRun]);
            yield return Call(name, "inline", "ran", t[(int)Slot.InlineRun]);
            yield return Call(name, "deferred", "ran", t[(int)Slot.DeferredRun]);
            yield return Call(name, "task", "ran", t[(int)Slot.TaskRun]);
            yield return Call(name, "async", "busy", t[(int)Slot.Busy]);
            yield return Call(name, "sync", "offline", t[(int)Slot.OfflineSync]);
            yield return Call(name, "async", "offline", t[(int)Slot.OfflineAsync]);
            yield return Call(name, "deferred", "offline", t[(int)Slot.OfflineDeferred]);
            yield return Call(name, "task", "offline", t[(int)Slot.OfflineTask]);
        }

        static Measurement<long> Call(string set, string kind, string outcome, long value) =>
            new(value, new KeyValuePair<string, object?>("set", set), new KeyValuePair<string, object?>("kind", kind),
                new KeyValuePair<string, object?>("outcome", outcome));
    }

    private IEnumerable<Measurement<long>> ObserveWakeups()
    {
        foreach (var (name, t) in Snapshot())
        {
            yield return new Measurement<long>(t[(int)Slot.WakeSent], new KeyValuePair<string, object?>("set", name), new KeyValuePair<string, object?>("result", "sent"));
            yield return new Measurement<long>(t[(int)Slot.WakeAvoided], new KeyValuePair<string, object?>("set", name), new KeyValuePair<string, object?>("result", "avoided"));
        }
    }

    private IEnumerable<Measurement<int>> ObserveStuckNow()
    {
        CoreSet[] live;
        lock (_sets)
        {
            live = [.. _sets];
        }

        var byName = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in live)
        {
            byName[set.Options.Name] = byName.GetValueOrDefault(set.Options.Name) + set.Detector.StuckNow;
        }

        foreach (var (name, value) in byName)
        {
            yield return new Measurement<int>(value, new KeyValuePair<string, object?>("set", name));
        }
    }
}
