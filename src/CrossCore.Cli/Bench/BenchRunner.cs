using System.Diagnostics;
using CrossCore.Contenders;

namespace CrossCore.Cli.Bench;

/// <summary>Everything one <c>crosscore bench</c> run measured.</summary>
internal sealed class BenchResults
{
    public required MachineInfo Machine { get; init; }

    public required Placement Placement { get; init; }

    public required BenchOptions Options { get; init; }

    public List<(ScenarioSpec Spec, List<Measurement> Rows)> Scenarios { get; } = [];

    /// <summary>Derived rows: P4 bytes per op, P5 wake-ups, P6 idle CPU.</summary>
    public List<Measurement> Derived { get; } = [];

    /// <summary>The cost of one Stopwatch.GetTimestamp() (ns), included in every per-operation latency.</summary>
    public double TimestampCostNs { get; set; }

    public TimeSpan Elapsed { get; set; }

    /// <summary>The JIT mode the run measured in.</summary>
    public JitMode JitMode { get; init; }

    /// <summary>The JIT mode and the runtime settings that were set, in words.</summary>
    public string JitDescription { get; init; } = "";

    /// <summary>Things the reports must say that belong to no row (a contender that cannot run here, and why).</summary>
    public List<string> Notes { get; } = [];

    /// <summary>True if the runtime's JIT events reached the runner, so every contender's warm-up was checked.</summary>
    public bool JitChecked { get; set; }

    public string LoadAverageAfter { get; set; } = "";

    /// <summary>Per scenario key: the other processes' share of the machine's CPUs while it ran (0..1), and steal.</summary>
    public Dictionary<string, (double Foreign, double Steal)> ForeignLoad { get; } = [];

    /// <summary>The other processes' share over the whole run.</summary>
    public (double Foreign, double Steal)? ForeignLoadTotal { get; set; }

    /// <summary>Every row: the scenario rows, then the derived ones.</summary>
    public IEnumerable<Measurement> AllRows => Scenarios.SelectMany(s => s.Spec.EmitTimedRows ? s.Rows : []).Concat(Derived);
}

/// <summary>
/// Runs the scenarios on one pinned driver thread: for each scenario, every contender is calibrated (ops per sample),
/// then measured in interleaved rounds (A, B, C, then B, C, A, ...), each round one timed batch per contender plus a
/// time-stamped pass for the latency distributions. Ratios are paired per round, then the median is taken, so a
/// vCPU move that slows one round slows every contender of that round alike.
/// </summary>
internal static class BenchRunner
{
    public static BenchResults Run(BenchOptions options, Action<string> progress)
    {
        BenchAffinity.WarmThreadPool(); // from this unpinned thread, before the driver pins itself
        BenchResults? results = null;
        Exception? failure = null;
        var driver = new Thread(() =>
        {
            try
            {
                results = RunOnDriver(options, progress);
            }
            catch (Exception ex)
            {
                failure = ex;
            }
        })
        {
            Name = "bench driver",
            IsBackground = true,
        };
        driver.Start();
        driver.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("The benchmark failed: " + failure.Message, failure);
        }

        return results!;
    }

    private static BenchResults RunOnDriver(BenchOptions options, Action<string> progress)
    {
        var started = Stopwatch.GetTimestamp();
        var startLoad = MachineLoad.Read();
        var placement = Placement.For(options.Pin);
        var pinError = BenchAffinity.Pin(placement.DriverCpu);
        var jitMode = JitSettings.Current;
        var results = new BenchResults
        {
            Machine = MachineInfo.Capture(pinError),
            Placement = placement,
            Options = options,
            TimestampCostNs = MeasureTimestampCost(),
            JitMode = jitMode,
            JitDescription = JitSettings.Describe(jitMode),
        };

        var jit = new JitMonitor();
        jit.Drain();
        results.JitChecked = jit.Reliable && jit.EventsSeen > 0;
        progress($"JIT: {results.JitDescription}");
        if (!results.JitChecked)
        {
            progress("  the runtime's JIT events do not reach the runner: warm-up is by rounds only, not verified");
        }

        foreach (var spec in BenchCatalog.All)
        {
            if (options.Only is { Count: > 0 } only && !only.Any(o => BenchCatalog.Selects(o, spec)))
            {
                continue;
            }

            progress($"{spec.Id} {spec.Key}: {spec.Title}");
            var before = MachineLoad.Read();
            var rows = RunScenario(spec, placement, options, results.JitChecked ? jit : null, progress);
            if (MachineLoad.Between(before, MachineLoad.Read()) is { } load)
            {
                results.ForeignLoad[spec.Key] = load;
                progress($"  other processes used {load.Foreign:P0} of the CPUs meanwhile (steal {load.Steal:P0})");
            }

            results.Scenarios.Add((spec, rows));
        }

        jit.Dispose(); // before P6: the listener's dispatch thread must not count as the idle set's CPU
        Derive(results);
        if (options.Only is not { Count: > 0 } || options.Only.Any(BenchCatalog.SelectsIdle))
        {
            progress("P6 idle: CPU of a parked set");
            results.Derived.AddRange(IdleCpu.Measure(placement, options));
        }

        if (Environment.GetEnvironmentVariable("CROSSCORE_BENCH_THREADS") == "1")
        {
            DumpThreads(progress);
        }

        results.LoadAverageAfter = MachineInfo.LoadAverage();
        results.ForeignLoadTotal = MachineLoad.Between(startLoad, MachineLoad.Read());
        results.Elapsed = Stopwatch.GetElapsedTime(started);
        return results;
    }

    private static List<Measurement> RunScenario(ScenarioSpec spec, Placement placement, BenchOptions options, JitMonitor? jit, Action<string> progress)
    {
        var contenders = spec.Create(placement);
        try
        {
            var rows = contenders.Select(c => new Measurement
            {
                Id = spec.Id,
                Scenario = spec.Key,
                Name = c.Name,
                Role = c.Role,
                Unit = spec.Unit,
                IsChannelPeer = c.Role == ContenderRole.Peer && c.Name.StartsWith("Channel<T>", StringComparison.Ordinal),
                PinningError = c.PinningError,
            }).ToList();

            var sampleTicks = (long)(spec.SampleMs * options.SampleScale * Stopwatch.Frequency / 1000);
            var ops = new int[contenders.Count];
            for (var i = 0; i < contenders.Count; i++)
            {
                contenders[i].Begin();
                ops[i] = Calibrate(contenders[i], sampleTicks);
                contenders[i].End();
                rows[i].OpsPerSample = ops[i];
            }

            var total = options.WarmupRounds + options.Rounds;
            for (var round = 0; round < total; round++)
            {
                var record = round >= options.WarmupRounds;
                if (round == options.WarmupRounds && jit is not null)
                {
                    WarmUntilJitQuiet(contenders, rows, ops, options, jit, progress);
                }

                for (var k = 0; k < contenders.Count; k++)
                {
                    var i = (k + round) % contenders.Count; // interleaved, and each contender leads in turn
                    MeasureOnce(contenders[i], rows[i], ops[i], record, options, spec.Kind);
                    if (record && jit is not null)
                    {
                        // Everything compiled while it ran (and in its settle pause after): code that changed or
                        // was still not optimized under the measurement.
                        rows[i].AddJitEvents(jit.Drain(), timed: true);
                    }
                }
            }

            foreach (var row in rows.Where(r => r.JitFlagged))
            {
                progress($"  JIT: {row.Name}: {row.JitFlag}");
            }

            return rows;
        }
        finally
        {
            foreach (var contender in contenders)
            {
                contender.Dispose();
            }
        }
    }

    /// <summary>
    /// Warm-up to a verified state: bursts of every contender, interleaved, until one pass in which nothing at all
    /// was compiled while any contender ran (checked with the runtime's JIT events), at most
    /// <see cref="BenchOptions.MaxJitWarmups"/> passes. Each burst calls the contender's run loop more often than the
    /// runtime's call-count threshold for a tier-1 promotion (30 calls), in small batches, with the time-stamped loop
    /// too; before each pass the runner pauses longer than the runtime's tiering delay (100 ms after the last tier-0
    /// compile), so call counting is on when the burst runs. A pass with no compile means every method the contenders
    /// run was already at its final tier: a method still at tier 0 would have been promoted by the burst.
    /// </summary>
    private static void WarmUntilJitQuiet(IReadOnlyList<Contender> contenders, List<Measurement> rows, int[] ops, BenchOptions options, JitMonitor jit, Action<string> progress)
    {
        var last = new IReadOnlyList<JitEvent>[contenders.Count];
        var started = Stopwatch.GetTimestamp();
        for (var pass = 1; pass <= options.MaxJitWarmups; pass++)
        {
            Thread.Sleep(s_tieringPause);
            jit.Drain(); // compiled during the pause: promotions queued by the previous pass, no contender's window

            var quiet = true;
            for (var i = 0; i < contenders.Count; i++)
            {
                WarmBurst(contenders[i], ops[i], options);
                last[i] = jit.Drain();
                quiet &= last[i].Count == 0;
                if (last[i].Count > 0 && Environment.GetEnvironmentVariable("CROSSCORE_BENCH_JIT") == "1")
                {
                    progress($"    pass {pass}: {contenders[i].Name}: {string.Join(", ", last[i].Take(4).Select(e => $"{e.Method} [{e.Tier}]"))}");
                }
            }

            if (quiet || pass == options.MaxJitWarmups)
            {
                for (var i = 0; i < contenders.Count; i++)
                {
                    rows[i].JitWarmupBursts = pass;
                    rows[i].JitQuietAtStart = last[i].Count == 0;
                    rows[i].AddJitEvents(last[i], timed: false);
                }

                var took = Stopwatch.GetElapsedTime(started).TotalSeconds;
                progress(quiet ? $"  JIT-quiet after {pass} warm-up pass(es), {took:0.0} s" : $"  not JIT-quiet after {pass} warm-up passes ({took:0.0} s): rows flagged");
                return;
            }
        }
    }

    /// <summary>Longer than the runtime's tiering delay (TC_CallCountingDelayMs, 100 ms): after it, methods that
    /// were called at tier 0 have call counting on.</summary>
    private static readonly TimeSpan s_tieringPause = TimeSpan.FromMilliseconds(150);

    /// <summary>Calls per warm-up burst: above the runtime's call-count threshold for tier-1 promotion (30).</summary>
    private const int WarmCalls = 40;

    /// <summary>One warm-up burst: <see cref="WarmCalls"/> small runs, each as the timed rounds make it (start,
    /// run, figures, time-stamped run, stop), so the untimed code around the timed loop is promoted too and its
    /// promotion does not land in a timed round.</summary>
    private static void WarmBurst(Contender contender, int ops, BenchOptions options)
    {
        var small = Math.Min(ops, Math.Max(8, ops / 16));
        var stamps = new long[Math.Min(small, Math.Max(1, options.HistogramOps)) + 1];
        for (var k = 0; k < WarmCalls; k++)
        {
            contender.Begin();
            try
            {
                contender.BeforeRun();
                contender.Run(small);
                contender.AfterRun(small);
                foreach (var extra in contender.Extras)
                {
                    GC.KeepAlive(extra.Key);
                }

                if (contender is LatencyContender latency && options.HistogramOps > 0)
                {
                    latency.RunTimed(stamps);
                }
            }
            finally
            {
                contender.End();
            }
        }

        Thread.Sleep(1); // as in MeasureOnce: the partners settle before the next contender starts
    }

    /// <summary>Finds the ops per sample that take about <paramref name="sampleTicks"/>; also warms the code up.</summary>
    private static int Calibrate(Contender contender, long sampleTicks)
    {
        var ops = 8;
        while (true)
        {
            // The fastest of three: one preemption by another process must not shrink the samples for good.
            var ticks = Math.Max(1, Math.Min(contender.Run(ops), Math.Min(contender.Run(ops), contender.Run(ops))));
            if (ticks >= sampleTicks / 4 || ops >= 1 << 24)
            {
                var scaled = (long)ops * sampleTicks / ticks;
                return (int)Math.Clamp(scaled, 4, 1 << 24);
            }

            ops *= 4;
        }
    }

    private static void MeasureOnce(Contender contender, Measurement row, int ops, bool record, BenchOptions options, ScenarioKind kind)
    {
        contender.Begin();
        try
        {
            contender.BeforeRun();
            var caller0 = GC.GetAllocatedBytesForCurrentThread();
            var total0 = GC.GetTotalAllocatedBytes(precise: true);
            var ticks = contender.Run(ops);
            var total1 = GC.GetTotalAllocatedBytes(precise: true);
            var caller1 = GC.GetAllocatedBytesForCurrentThread();
            contender.AfterRun(ops);
            if (!record)
            {
                return;
            }

            row.Samples.Add(ticks * 1e9 / Stopwatch.Frequency / ops);
            row.BytesPerOp.Add((double)(total1 - total0) / ops);
            row.CallerBytesPerOp.Add((double)(caller1 - caller0) / ops);
            foreach (var (key, value) in contender.Extras)
            {
                row.AddExtra(key, value);
            }

            if (kind == ScenarioKind.Latency && contender is LatencyContender latency && options.HistogramOps > 0)
            {
                var n = Math.Max(1, Math.Min(ops, options.HistogramOps));
                var stamps = new long[n + 1];
                latency.RunTimed(stamps);
                for (var i = 1; i <= n; i++)
                {
                    row.Latencies.Add((stamps[i] - stamps[i - 1]) * 1e9 / Stopwatch.Frequency);
                }
            }
        }
        finally
        {
            contender.End();

            // Settle: threads that spin a while before they block (pool workers, waiters) stop before the next
            // contender starts, so one contender's leftovers do not eat the next one's CPU.
            Thread.Sleep(1);
        }
    }

    /// <summary>Diagnostics (CROSSCORE_BENCH_THREADS=1): every thread of the process with the CPUs it may run on.</summary>
    private static void DumpThreads(Action<string> progress)
    {
        foreach (var dir in Directory.Exists("/proc/self/task") ? Directory.GetDirectories("/proc/self/task") : [])
        {
            try
            {
                var comm = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                var allowed = File.ReadLines(Path.Combine(dir, "status")).FirstOrDefault(l => l.StartsWith("Cpus_allowed_list", StringComparison.Ordinal));
                progress($"  thread {Path.GetFileName(dir)} '{comm}': {allowed}");
            }
            catch (IOException)
            {
            }
        }
    }

    private static double MeasureTimestampCost()
    {
        const int n = 20_000;
        long sink = 0;
        var best = double.MaxValue;
        for (var round = 0; round < 5; round++)
        {
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++)
            {
                sink += Stopwatch.GetTimestamp();
            }

            best = Math.Min(best, (Stopwatch.GetTimestamp() - start) * 1e9 / Stopwatch.Frequency / n);
        }

        GC.KeepAlive(sink);
        return best;
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Ratios, targets and derived rows
    // ----------------------------------------------------------------------------------------------------------------

    private static void Derive(BenchResults results)
    {
        foreach (var (spec, rows) in results.Scenarios)
        {
            DeriveRatios(spec, rows);
        }

        DeriveReferenceFloors(results);
        DeriveAllocations(results);
        DeriveWakeups(results);
    }

    /// <summary>The floor and CrossCore rows against a scenario's second, physical floor (P3: the raw futex
    /// ping-pong): one derived row each with the per-round ratios, reported without a target.</summary>
    private static void DeriveReferenceFloors(BenchResults results)
    {
        foreach (var (spec, rows) in results.Scenarios)
        {
            if (spec.ReferenceFloor is not { } reference)
            {
                continue;
            }

            var floor = rows.FirstOrDefault(r => r.Name.StartsWith(reference.Name, StringComparison.Ordinal));
            if (floor is null)
            {
                results.Notes.Add($"{spec.Id} {spec.Key}: the {reference.Name} was not run: {reference.UnavailableReason() ?? "not in this scenario"}.");
                continue;
            }

            foreach (var row in rows.Where(r => r.Role is ContenderRole.Floor or ContenderRole.CrossCore))
            {
                row.RatioToReferenceFloor = Stats.PairedRatio(row.Samples, floor.Samples);
                var ratio = new Measurement
                {
                    Id = spec.Id,
                    Scenario = "reference/" + spec.Key,
                    Name = $"{row.Name} / {reference.Name}: per-round ratio",
                    Unit = "×",
                    Note = "reported, no target: how far it is from the physical floor of a wake-up",
                };
                var n = Math.Min(row.Samples.Count, floor.Samples.Count);
                ratio.Samples.AddRange(Enumerable.Range(0, n).Select(i => row.Samples[i] / floor.Samples[i]));
                results.Derived.Add(ratio);
            }
        }
    }

    /// <summary>The paired ratios of a scenario's rows and the verdicts of its target (each part and the whole).</summary>
    internal static void DeriveRatios(ScenarioSpec spec, List<Measurement> rows)
    {
        var floor = rows.FirstOrDefault(r => r.Role == ContenderRole.Floor);
        var main = rows.FirstOrDefault(r => r.Role == ContenderRole.CrossCore);
        var peers = rows.Where(r => r.Role == ContenderRole.Peer).ToList();
        var channelPeer = spec.Target?.ChannelPeer;
        var channels = peers.Where(r => r.IsChannelPeer && (channelPeer is null || r.Name.StartsWith(channelPeer, StringComparison.Ordinal))).ToList();
        var bestPeer = BestPerRound(peers);
        var bestChannel = BestPerRound(channels);

        foreach (var row in rows)
        {
            if (floor is not null)
            {
                row.RatioToFloor = Stats.PairedRatio(row.Samples, floor.Samples);
            }

            if (row.Role == ContenderRole.CrossCore)
            {
                row.RatioToBestPeer = bestPeer is null ? null : Stats.PairedRatio(bestPeer, row.Samples);
                if (spec.Target is { } target && (target.AppliesTo is null || row.Name.StartsWith(target.AppliesTo, StringComparison.Ordinal)))
                {
                    row.Target = target.Text;
                    if (target.MaxRatioToFloor is { } maxFloor)
                    {
                        row.FloorTargetMet = row.RatioToFloor is { } r && r <= maxFloor;
                    }

                    if (target.MinSpeedupOverChannel is { } minSpeedup)
                    {
                        var speedup = bestChannel is null ? null : Stats.PairedRatio(bestChannel, row.Samples);
                        row.ChannelTargetMet = speedup is { } s && s >= minSpeedup;
                        row.Note = speedup is { } sp ? $"best Channel<T> / this = {sp:0.00}×" : null;
                    }

                    row.TargetMet = row.FloorTargetMet != false && row.ChannelTargetMet != false;
                }
            }
            else
            {
                row.RatioToBestPeer = bestPeer is null ? null : Stats.PairedRatio(row.Samples, bestPeer);
                row.RatioToCrossCore = main is null ? null : Stats.PairedRatio(row.Samples, main.Samples);
            }
        }
    }

    /// <summary>The smallest sample of the rows in each round (null without rows).</summary>
    private static List<double>? BestPerRound(List<Measurement> rows)
    {
        if (rows.Count == 0)
        {
            return null;
        }

        var n = rows.Min(r => r.Samples.Count);
        return Enumerable.Range(0, n).Select(i => rows.Min(r => r.Samples[i])).ToList();
    }

    private static void DeriveAllocations(BenchResults results)
    {
        var wanted = new (string Scenario, Func<Measurement, bool> Pick, string Label)[]
        {
            ("latency/ping-pong", r => r.Name.StartsWith("CrossCore Invoke, outside", StringComparison.Ordinal), "sync call (Invoke), outside thread → core"),
            ("latency/ping-pong", r => r.Name.StartsWith("CrossCore Invoke, core 0", StringComparison.Ordinal), "sync call core → core (from RunAsync task context)"),
            ("throughput/one-to-one", r => r.Name.StartsWith("CrossCore TryPost", StringComparison.Ordinal), "async call, reused descriptor (TryPost)"),
            ("throughput/one-to-one", r => r.Name.StartsWith("CrossCore Post", StringComparison.Ordinal), "posted call (Post)"),
            ("throughput/broadcast", r => r.Name.StartsWith("CrossCore InvokeMany", StringComparison.Ordinal), "many-call (InvokeMany)"),
            ("throughput/broadcast", r => r.Name.StartsWith("CrossCore InvokeOnEach", StringComparison.Ordinal), "InvokeOnEach from a core (from RunAsync task context)"),
            ("throughput/coalescing", r => r.Name.StartsWith("CrossCore DeferredWork", StringComparison.Ordinal), "deferred work queue + run (reused work)"),
            ("latency/await", r => r.Name.StartsWith("CrossCore InvokeAsync, outside", StringComparison.Ordinal), "awaited call (InvokeAsync), outside async method → core"),
            ("latency/await", r => r.Name.StartsWith("CrossCore InvokeAsync, core 0", StringComparison.Ordinal), "awaited call core → core (from RunAsync task context)"),
        };

        foreach (var (scenario, pick, label) in wanted)
        {
            var source = results.Scenarios.Where(s => s.Spec.Key == scenario).SelectMany(s => s.Rows).FirstOrDefault(pick);
            if (source is null)
            {
                continue;
            }

            // Calls made from a core inside RunAsync: count what the core's thread allocates inside the loop (the
            // RunAsync that starts each batch allocates its task once per batch, not per call).
            var inLoop = source.Extras.TryGetValue("loop_bytes_per_op", out var loop) ? loop : null;
            var inLoopProcess = source.Extras.TryGetValue("loop_process_bytes_per_op", out var loopProcess) ? loopProcess : null;
            var row = new Measurement
            {
                Id = "P4",
                Scenario = "alloc/" + scenario,
                Name = "bytes per op: " + label,
                Unit = "B/op",
                Target = "0 B/op",
                Note = inLoopProcess is not null
                    ? $"allocated process-wide inside the awaiting loop of {source.OpsPerSample} calls (GC.GetTotalAllocatedBytes(precise) around the loop, which hops pool threads); incl. the Task.Run that starts each batch: {source.MedianBytesPerOp:0.###} B/op"
                    : inLoop is not null
                    ? $"allocated on the calling core inside the loop of {source.OpsPerSample} calls (GC.GetAllocatedBytesForCurrentThread); process-wide incl. the RunAsync that starts each batch: {source.MedianBytesPerOp:0.###} B/op"
                    : $"process-wide GC.GetTotalAllocatedBytes(precise) delta over {source.OpsPerSample} ops; driver thread alone: {source.MedianCallerBytesPerOp:0.###} B/op",
            };
            row.Samples.AddRange(inLoopProcess ?? inLoop ?? source.BytesPerOp);
            row.BytesPerOp.AddRange(source.BytesPerOp);
            row.CallerBytesPerOp.AddRange(source.CallerBytesPerOp);
            row.TargetMet = row.Median < 0.05;
            results.Derived.Add(row);
        }
    }

    private static void DeriveWakeups(BenchResults results)
    {
        void Add(string scenario, string contenderPrefix, string extra, string name, string unit, string? target, Func<double, bool>? met)
        {
            var source = results.Scenarios.Where(s => s.Spec.Key == scenario).SelectMany(s => s.Rows)
                .FirstOrDefault(r => r.Name.StartsWith(contenderPrefix, StringComparison.Ordinal));
            if (source is null || !source.Extras.TryGetValue(extra, out var values) || values.Count == 0)
            {
                return;
            }

            var row = new Measurement { Id = "P5", Scenario = "wakeups/" + scenario, Name = name, Unit = unit, Target = target };
            row.Samples.AddRange(values);
            row.TargetMet = met?.Invoke(row.Median);
            results.Derived.Add(row);
        }

        Add("throughput/many-to-one", "CrossCore TryPost", "wakeups_sent_per_op", "wake-ups sent per request: 2 senders, continuous TryPost", "wake-ups/req", "→ 0 under load", v => v < 0.01);
        Add("throughput/many-to-one", "CrossCore TryPost", "wakeups_avoided_per_op", "wake-ups avoided (core polling) per request: same run", "wake-ups/req", null, null);
        Add("throughput/many-to-one", "CrossCore TryPost", "mean_batch", "mean inbox batch: same run", "entries/batch", null, null);
        Add("throughput/one-to-one", "CrossCore TryPost", "wakeups_sent_per_op", "wake-ups sent per request: 1 sender, continuous TryPost", "wake-ups/req", "→ 0 under load", v => v < 0.01);
        Add("throughput/one-to-one", "CrossCore TryPost", "mean_batch", "mean inbox batch: same run", "entries/batch", null, null);
        Add("load/bursts", "CrossCore TryPost", "wakeups_sent_per_op", "wake-ups sent per request: 2 senders, bursts of 32, core parks between", "wake-ups/req", "≤ 1 per burst (1/32 = 0.031)", v => v <= 1.0 / CrossCoreBurstLoad.BurstSize);
        Add("load/bursts", "CrossCore TryPost", "wakeups_sent_per_batch", "wake-ups sent per inbox batch: same run", "wake-ups/batch", "≤ 1 (one per batch)", v => v <= 1.0);
        Add("load/bursts", "CrossCore TryPost", "mean_batch", "mean inbox batch: same run", "entries/batch", null, null);
    }
}
