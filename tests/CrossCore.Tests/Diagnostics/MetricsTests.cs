using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CrossCore.Tests.DiagnosticsTests; // not ".Diagnostics": that would shadow CrossCore.Diagnostics in sibling test namespaces

/// <summary>D3: a MeterListener sees exactly the measurements of a known workload.</summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class MetricsTests
{
    private static readonly Action<int> s_nop = static _ => { };

    [Fact]
    public void The_meter_publishes_every_documented_instrument()
    {
        var seen = new ConcurrentDictionary<string, Instrument>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Name == "CrossCore")
                {
                    seen[instrument.Name] = instrument;
                }
            },
        };
        listener.Start();
        _ = CrossCoreMetrics.Default.BatchSize; // the Meter exists once the class is initialized (any CoreSet does it)

        string[] expected =
        [
            "crosscore.calls", "crosscore.wakeups", "crosscore.busy_answers", "crosscore.deferred.runs", "crosscore.deferred.coalesced",
            "crosscore.exceptions", "crosscore.stuck_reports", "crosscore.lane_calls", "crosscore.batches", "crosscore.parks", "crosscore.stuck_calls",
            "crosscore.batch.size", "crosscore.sync_call.duration",
            "crosscore.core.state", "crosscore.core.calls", "crosscore.core.batches", "crosscore.core.batch.entries",
            "crosscore.core.wakeups", "crosscore.core.stuck_calls", "crosscore.core.lane_calls",
        ];
        Assert.Equal(expected.Order(), seen.Keys.Order());
        Assert.Equal("s", seen["crosscore.sync_call.duration"].Unit); // durations in seconds, as .NET and OpenTelemetry name them
        var buckets = ((Histogram<double>)seen["crosscore.sync_call.duration"]).Advice?.HistogramBucketBoundaries;
        Assert.NotNull(buckets);
        Assert.Equal(1e-6, buckets[0]); // microsecond calls land in buckets, not all in the first default one (5 ms)
        Assert.True(buckets.Zip(buckets.Skip(1)).All(p => p.First < p.Second));
        Assert.Equal("{entry}", seen["crosscore.batch.size"].Unit);
        Assert.All(seen.Values, i => Assert.False(string.IsNullOrEmpty(i.Description)));
    }

    [Fact]
    public void Calls_that_run_inline_on_the_callers_own_core_are_counted_as_inline_only()
    {
        const int n = 50;
        var name = Diag.UniqueName("m-inline");
        using var m = new Measurements(name);
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, OnStuckCall = static _ => { } });
        var statsBefore = set.GetStatistics();
        var before = m.Observe();

        // On core 0: n calls to core 0 itself (inline), then one InvokeOnEach (core 0's share inline, core 1's queued).
        set.RunAsync(0, static s =>
        {
            for (var i = 0; i < n; i++)
            {
                s.Invoke(0, s_nop, i);
            }

            s.InvokeOnEach(null, null, static (_, _) => { }, 0);
        }, set).GetAwaiter().GetResult();

        Diag.Until(() => set.GetStatistics().SyncCallsRun - statsBefore.SyncCallsRun == 1, "core 1 to count its run");
        var statsAfter = set.GetStatistics();
        var after = m.Observe();
        long Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);

        Assert.Equal(n + 1, statsAfter.InlineCallsRun - statsBefore.InlineCallsRun);
        Assert.Equal(1, statsAfter.SyncCallsRun - statsBefore.SyncCallsRun); // only core 1's share went through an inbox
        Assert.Equal(0, statsAfter.AsyncCallsRun - statsBefore.AsyncCallsRun);
        Assert.Equal(n + 1, Delta("crosscore.calls|kind=inline|outcome=ran"));
        Assert.Equal(1, Delta("crosscore.calls|kind=sync|outcome=ran"));
    }

    [Fact]
    public void Sync_calls_give_exact_counts_latencies_and_batch_sizes()
    {
        const int n = 200;
        var name = Diag.UniqueName("m-sync");
        using var m = new Measurements(name);
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, OnStuckCall = static _ => { }, SenderLaneCount = 0 }); // every call in a batch
        var statsBefore = set.GetStatistics();
        var before = m.Observe();

        var loop = System.Diagnostics.Stopwatch.StartNew();
        for (var i = 0; i < n; i++)
        {
            set.Invoke(1, s_nop, i);
        }

        var loopSeconds = loop.Elapsed.TotalSeconds;

        // The core counts a run after the function's release lets the caller go: wait for the count, not the caller.
        Diag.Until(() => set.GetStatistics().SyncCallsRun - statsBefore.SyncCallsRun == n, "the core to count its runs");
        var after = m.Observe();
        var statsAfter = set.GetStatistics();
        long Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);

        Assert.Equal(n, Delta("crosscore.calls|kind=sync|outcome=ran"));
        Assert.Equal(0, Delta("crosscore.calls|kind=async|outcome=ran"));
        Assert.Equal(n, m.LatencyCount);
        Assert.True(m.LatencyMin > 0);
        Assert.True(m.LatencySum <= loopSeconds, $"durations sum to {m.LatencySum}, the loop took {loopSeconds} s: not seconds");
        Assert.Equal(statsAfter.Batches - statsBefore.Batches, Delta("crosscore.batches"));
        Assert.Equal(Delta("crosscore.batches"), m.BatchCount);
        Assert.Equal(n, m.BatchSum); // every entry of every batch was one of our calls
        Assert.Equal(0, Delta("crosscore.lane_calls"));
        Assert.Equal(statsAfter.WakeupsSent - statsBefore.WakeupsSent, Delta("crosscore.wakeups|result=sent"));
        Assert.Equal(statsAfter.WakeupsAvoided - statsBefore.WakeupsAvoided, Delta("crosscore.wakeups|result=avoided"));
        Assert.True(Delta("crosscore.parks") >= 0);
    }

    [Fact]
    public void Calls_through_a_sender_lane_count_as_sync_runs_and_lane_calls_and_are_in_no_batch()
    {
        const int n = 200;
        var name = Diag.UniqueName("m-lane");
        using var m = new Measurements(name);
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, OnStuckCall = static _ => { } }); // lanes on: the default
        var statsBefore = set.GetStatistics();
        var before = m.Observe();

        Diag.Join(Diag.OnThread(() => // a fresh thread: a free lane on its first call, whatever this thread held before
        {
            for (var i = 0; i < n; i++)
            {
                set.Invoke(1, s_nop, i);
            }
        }), "the caller");

        Diag.Until(() => set.GetStatistics().SyncCallsRun - statsBefore.SyncCallsRun == n, "the core to count its runs");
        var after = m.Observe();
        var statsAfter = set.GetStatistics();
        long Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);

        Assert.Equal(n, statsAfter.LaneCallsRun - statsBefore.LaneCallsRun);
        Assert.Equal(n, Delta("crosscore.lane_calls"));
        Assert.Equal(n, Delta("crosscore.calls|kind=sync|outcome=ran"));
        Assert.Equal(n, m.LatencyCount); // the duration histogram times lane calls as it times inbox calls
        Assert.Equal(0, Delta("crosscore.batches"));
        Assert.Equal(0, m.BatchSum);
    }

    [Fact]
    public void Deferred_busy_offline_and_exception_outcomes_are_counted_exactly()
    {
        const int coalesced = 7;
        var name = Diag.UniqueName("m-outcomes");
        using var m = new Measurements(name);
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, OnStuckCall = static _ => { }, OnFunctionException = static _ => { } });
        var before = m.Observe();

        var work = new DeferredWork<int>(set, s_nop, 0);
        var descriptor = new CallDescriptor<int>(s_nop, 0);
        using (HoldGate.BlockCore(set, 1))
        {
            Assert.Equal(QueueResult.Queued, work.QueueOn(1));
            for (var i = 0; i < coalesced; i++)
            {
                Assert.Equal(QueueResult.Coalesced, work.QueueOn(1));
            }

            Assert.Equal(CallResult.Ok, set.TryPost(1, descriptor));
            Assert.Equal(CallResult.Busy, set.TryPost(1, descriptor)); // still queued behind the gate
        }

        work.Sync();
        Diag.Until(() => !descriptor.IsInFlight, "the descriptor's run");

        Assert.Equal(HotplugResult.Done, set.TakeOffline(1));
        Assert.Throws<CoreOfflineException>(() => set.Invoke(1, s_nop, 0));
        Assert.Throws<CoreOfflineException>(() => set.Post(1, s_nop, 0));
        Assert.Equal(CallResult.Offline, set.TryPost(1, descriptor));
        Assert.Equal(HotplugResult.Done, set.BringOnline(1));

        var throwing = new CallDescriptor<int>(static _ => throw new InvalidOperationException("boom"), 0);
        Assert.Equal(CallResult.Ok, set.TryPost(1, throwing));
        Diag.Until(() => set.GetStatistics() is { FunctionExceptions: 1, AsyncCallsRun: 3, DeferredRuns: 1 }, "the core to count its runs");

        var after = m.Observe();
        long Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);

        Assert.Equal(coalesced, Delta("crosscore.deferred.coalesced"));
        Assert.Equal(1, Delta("crosscore.deferred.runs"));
        Assert.Equal(1, Delta("crosscore.calls|kind=deferred|outcome=ran"));
        Assert.Equal(1, Delta("crosscore.busy_answers"));
        Assert.Equal(1, Delta("crosscore.calls|kind=async|outcome=busy"));
        Assert.Equal(1, Delta("crosscore.calls|kind=sync|outcome=offline"));
        Assert.Equal(2, Delta("crosscore.calls|kind=async|outcome=offline")); // a no-wait call and a descriptor
        Assert.Equal(1, Delta("crosscore.exceptions"));
        Assert.Equal(3, Delta("crosscore.calls|kind=async|outcome=ran")); // gate, descriptor, throwing descriptor
        Assert.Equal(3, set.GetStatistics().OfflineAnswers);
    }

    [Fact]
    public void Stuck_reports_are_counted_and_the_stuck_gauge_goes_up_and_down()
    {
        var name = Diag.UniqueName("m-stuck");
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var m = new Measurements(name);
        using var set = new CoreSet(new CoreSetOptions
        {
            CoreCount = 2, Name = name, StuckCallTimeout = TimeSpan.FromMilliseconds(100), OnStuckCall = reports.Enqueue,
        });
        var before = m.Observe();
        using var gate = new HoldGate();
        var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));
        Diag.WaitForReport(reports, r => !r.IsUnstuck, "a report");
        var stuck = m.Observe();
        Assert.Equal(1, stuck.GetValueOrDefault("crosscore.stuck_calls"));
        Assert.Equal(1, stuck.GetValueOrDefault("crosscore.core.stuck_calls|crosscore.core=1")); // counted on the target
        Assert.Equal(0, stuck.GetValueOrDefault("crosscore.core.stuck_calls|crosscore.core=0", -1));
        gate.Open();
        Diag.Join(caller, "the released call");
        Diag.WaitForReport(reports, r => r.IsUnstuck, "got unstuck");

        var after = m.Observe();
        Assert.Equal(reports.Count(r => !r.IsUnstuck), after["crosscore.stuck_reports"] - before.GetValueOrDefault("crosscore.stuck_reports"));
        Assert.Equal(0, after["crosscore.stuck_calls"]);
        Assert.Equal(0, after["crosscore.core.stuck_calls|crosscore.core=1"]);
    }

    [Fact]
    public void Per_core_instruments_count_each_core_and_show_its_state()
    {
        var name = Diag.UniqueName("m-percore");
        using var m = new Measurements(name);
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, OnStuckCall = static _ => { }, SenderLaneCount = 0 }); // batch entries are counted
        var statsBefore = set.GetStatistics();
        var before = m.Observe();

        for (var i = 0; i < 30; i++)
        {
            set.Invoke(0, s_nop, i);
        }

        for (var i = 0; i < 50; i++)
        {
            set.Invoke(1, s_nop, i);
        }

        Diag.Until(() => set.GetStatistics().SyncCallsRun - statsBefore.SyncCallsRun == 80, "the cores to count their runs");
        Assert.Equal(HotplugResult.Done, set.TakeOffline(1));
        var after = m.Observe();
        var stats = set.GetStatistics();
        long Delta(string key) => after.GetValueOrDefault(key) - before.GetValueOrDefault(key);

        Assert.Equal(30, Delta("crosscore.core.calls|crosscore.core=0"));
        Assert.Equal(50, Delta("crosscore.core.calls|crosscore.core=1"));
        Assert.Equal(30, Delta("crosscore.core.batch.entries|crosscore.core=0")); // every entry was one of our calls
        Assert.Equal(50, Delta("crosscore.core.batch.entries|crosscore.core=1"));
        Assert.Equal(stats.Batches - statsBefore.Batches, Delta("crosscore.core.batches|crosscore.core=0") + Delta("crosscore.core.batches|crosscore.core=1"));
        Assert.Equal(stats.WakeupsSent - statsBefore.WakeupsSent,
            Delta("crosscore.core.wakeups|crosscore.core=0|result=sent") + Delta("crosscore.core.wakeups|crosscore.core=1|result=sent"));
        Assert.Equal(stats.WakeupsAvoided - statsBefore.WakeupsAvoided,
            Delta("crosscore.core.wakeups|crosscore.core=0|result=avoided") + Delta("crosscore.core.wakeups|crosscore.core=1|result=avoided"));

        string[] states = ["running", "polling", "parked", "offline"];
        long State(int core, string state) => after[$"crosscore.core.state|crosscore.core.state={state}|crosscore.core={core}"];
        Assert.Equal(1, State(1, "offline"));
        Assert.Equal(0, State(1, "running") + State(1, "polling") + State(1, "parked"));
        Assert.Equal(0, State(0, "offline"));
        Assert.Equal(1, states.Sum(s => State(0, s))); // core 0 is in exactly one state (which one is its business)
    }

    [Fact]
    public void A_set_given_a_meter_factory_reports_through_the_factorys_meter_only()
    {
        var name = Diag.UniqueName("m-factory");
        using var factory = new TestMeterFactory();
        var meters = new ConcurrentDictionary<Meter, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "CrossCore")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "set" && (string?)tag.Value == name && instrument.Name == "crosscore.calls")
                {
                    meters.AddOrUpdate(instrument.Meter, value, (_, old) => old + value);
                }
            }
        });
        listener.Start();

        using var first = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, MeterFactory = factory });
        using var second = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name, MeterFactory = factory }); // the same cached Meter
        first.Invoke(1, s_nop, 0);
        second.Invoke(1, s_nop, 0);
        Diag.Until(() => first.GetStatistics().SyncCallsRun == 1 && second.GetStatistics().SyncCallsRun == 1, "the cores to count their runs");
        listener.RecordObservableInstruments();

        var meter = Assert.Single(meters.Keys); // not the static Meter as well
        Assert.Same(factory.Created.Single(), meter);
        Assert.Equal(2, meters[meter]); // both sets, summed under their shared name (sync ran = 1 each; other outcomes 0)
    }

    /// <summary>An <see cref="IMeterFactory"/> that caches Meters by name, as the host's does.</summary>
    private sealed class TestMeterFactory : IMeterFactory
    {
        private readonly ConcurrentDictionary<string, Meter> _meters = new();

        public IReadOnlyCollection<Meter> Created => [.. _meters.Values];

        public Meter Create(MeterOptions options) => _meters.GetOrAdd(options.Name, _ => new Meter(new MeterOptions(options.Name) { Version = options.Version, Scope = this }));

        public void Dispose()
        {
            foreach (var meter in _meters.Values)
            {
                meter.Dispose();
            }
        }
    }

    [Fact]
    public void Counters_stay_monotonic_after_a_set_is_disposed()
    {
        var name = Diag.UniqueName("m-retired");
        using var m = new Measurements(name);
        var set = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name });
        for (var i = 0; i < 10; i++)
        {
            set.Invoke(1, s_nop, i);
        }

        Diag.Until(() => set.GetStatistics().SyncCallsRun == 10, "the core to count its runs");
        var live = m.Observe()["crosscore.calls|kind=sync|outcome=ran"];
        set.Dispose();
        Assert.Equal(10, live);
        Assert.Equal(live, m.Observe()["crosscore.calls|kind=sync|outcome=ran"]);

        using var again = new CoreSet(new CoreSetOptions { CoreCount = 2, Name = name });
        again.Invoke(1, s_nop, 0);
        Diag.Until(() => again.GetStatistics().SyncCallsRun == 1, "the core to count its run");
        Assert.Equal(live + 1, m.Observe()["crosscore.calls|kind=sync|outcome=ran"]); // same name: summed
    }

    /// <summary>Collects the CrossCore measurements tagged with one set name.</summary>
    private sealed class Measurements : IDisposable
    {
        private readonly string _set;
        private readonly MeterListener _listener = new();
        private readonly object _gate = new();
        private Dictionary<string, long> _observed = [];
        private long _latencyCount;
        private double _latencyMin = double.MaxValue;
        private double _latencySum;
        private long _batchCount;
        private long _batchSum;

        public Measurements(string set)
        {
            _set = set;
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "CrossCore")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Observed(instrument, value, tags));
            _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "crosscore.batch.size")
                {
                    if (IsOurs(tags))
                    {
                        Interlocked.Increment(ref _batchCount);
                        Interlocked.Add(ref _batchSum, value);
                    }
                }
                else
                {
                    Observed(instrument, value, tags);
                }
            });
            _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) =>
            {
                if (instrument.Name == "crosscore.sync_call.duration" && IsOurs(tags))
                {
                    lock (_gate)
                    {
                        _latencyCount++;
                        _latencySum += value;
                        _latencyMin = Math.Min(_latencyMin, value);
                    }
                }
            });
            _listener.Start();
        }

        public long LatencyCount
        {
            get
            {
                lock (_gate)
                {
                    return _latencyCount;
                }
            }
        }

        public double LatencySum
        {
            get
            {
                lock (_gate)
                {
                    return _latencySum;
                }
            }
        }

        public double LatencyMin
        {
            get
            {
                lock (_gate)
                {
                    return _latencyMin;
                }
            }
        }

        public long BatchCount => Interlocked.Read(ref _batchCount);

        public long BatchSum => Interlocked.Read(ref _batchSum);

        /// <summary>Reads every observable instrument now: "name|tag=value|..." (tags other than set, sorted) → value.</summary>
        public Dictionary<string, long> Observe()
        {
            lock (_gate)
            {
                _observed = [];
            }

            _listener.RecordObservableInstruments();
            lock (_gate)
            {
                return new Dictionary<string, long>(_observed);
            }
        }

        public void Dispose() => _listener.Dispose();

        private bool IsOurs(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "set")
                {
                    return (string?)tag.Value == _set;
                }
            }

            return false;
        }

        private void Observed(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (!IsOurs(tags))
            {
                return;
            }

            var parts = new List<string>();
            foreach (var tag in tags)
            {
                if (tag.Key != "set")
                {
                    parts.Add($"{tag.Key}={tag.Value}");
                }
            }

            parts.Sort(StringComparer.Ordinal);
            var key = parts.Count == 0 ? instrument.Name : $"{instrument.Name}|{string.Join('|', parts)}";
            lock (_gate)
            {
                _observed[key] = value;
            }
        }
    }
}
