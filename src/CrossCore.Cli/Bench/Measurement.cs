using CrossCore.Contenders;

namespace CrossCore.Cli.Bench;

/// <summary>One row of the results: a contender's samples over the rounds, or a derived figure (P4, P5, P6).</summary>
internal sealed class Measurement
{
    /// <summary>The SPEC §9 target id this row belongs to: P1..P6.</summary>
    public required string Id { get; init; }

    /// <summary>The scenario key, e.g. <c>latency/ping-pong</c>.</summary>
    public required string Scenario { get; init; }

    /// <summary>What is measured.</summary>
    public required string Name { get; init; }

    /// <summary>Floor, CrossCore or peer (null for derived rows).</summary>
    public ContenderRole? Role { get; init; }

    /// <summary>True for the <c>Channel&lt;T&gt;</c> peers (the comparison of the P1 and P2 targets).</summary>
    public bool IsChannelPeer { get; init; }

    /// <summary>The unit of <see cref="Samples"/>.</summary>
    public required string Unit { get; init; }

    /// <summary>One value per round (for timed rows: ns per operation of that round's batch).</summary>
    public List<double> Samples { get; } = [];

    /// <summary>Process-wide bytes allocated per operation, per round (GC.GetTotalAllocatedBytes(precise) delta / ops).</summary>
    public List<double> BytesPerOp { get; } = [];

    /// <summary>Bytes allocated per operation on the driver thread, per round (GC.GetAllocatedBytesForCurrentThread).</summary>
    public List<double> CallerBytesPerOp { get; } = [];

    /// <summary>Other figures per round (wake-ups per request, runs per queue ...).</summary>
    public Dictionary<string, List<double>> Extras { get; } = [];

    /// <summary>Per-operation latencies in ns from the time-stamped passes (latency scenarios only).</summary>
    public List<double> Latencies { get; } = [];

    /// <summary>Operations per timed batch.</summary>
    public int OpsPerSample { get; set; }

    /// <summary>Pinning problems, if any.</summary>
    public string? PinningError { get; set; }

    /// <summary>Median over rounds of (this / floor) of the same round.</summary>
    public double? RatioToFloor { get; set; }

    /// <summary>For CrossCore rows: best peer / this (the speed-up); for the others: this / best peer.</summary>
    public double? RatioToBestPeer { get; set; }

    /// <summary>For floor and peer rows: this / the scenario's main CrossCore row.</summary>
    public double? RatioToCrossCore { get; set; }

    /// <summary>Median over rounds of (this / the scenario's reference floor, e.g. P3's raw futex ping-pong).</summary>
    public double? RatioToReferenceFloor { get; set; }

    /// <summary>The SPEC §9 target this row is checked against, in words.</summary>
    public string? Target { get; set; }

    /// <summary>Whether the target is met (null when no target applies): every part of it that applies.</summary>
    public bool? TargetMet { get; set; }

    /// <summary>The floor part of the target (<see cref="TargetSpec.MaxRatioToFloor"/>): met or not; null if it has none.</summary>
    public bool? FloorTargetMet { get; set; }

    /// <summary>The <c>Channel&lt;T&gt;</c> part of the target (<see cref="TargetSpec.MinSpeedupOverChannel"/>): met or
    /// not; null if it has none.</summary>
    public bool? ChannelTargetMet { get; set; }

    /// <summary>A note shown in the reports.</summary>
    public string? Note { get; set; }

    /// <summary>Warm-up bursts the scenario needed until nothing was compiled while any of its contenders ran
    /// (0: not checked, no JIT events).</summary>
    public int JitWarmupBursts { get; set; }

    /// <summary>True if nothing was compiled while this contender ran its last warm-up burst; false if it still was
    /// after the last allowed burst; null when not checked.</summary>
    public bool? JitQuietAtStart { get; set; }

    /// <summary>Methods compiled at tier 0, OSR or an instrumented tier while this contender ran its timed rounds.</summary>
    public int JitNonOptimizedInTimed { get; set; }

    /// <summary>Methods compiled fully optimized (a tier-1 promotion, code replaced mid-run) during its timed rounds.</summary>
    public int JitOptimizedInTimed { get; set; }

    /// <summary>A few of the methods compiled during its timed rounds or its last warm-up burst, with their tier.</summary>
    public List<string> JitMethods { get; } = [];

    /// <summary>True if this contender may have run non-optimized code while timed (or the warm-up never got quiet).</summary>
    public bool JitFlagged => JitQuietAtStart == false || JitNonOptimizedInTimed > 0 || JitOptimizedInTimed > 0;

    /// <summary>The JIT flag in words (null when not flagged).</summary>
    public string? JitFlag => !JitFlagged ? null
        : (JitQuietAtStart == false ? $"still compiling after {JitWarmupBursts} warm-up bursts" : "")
          + (JitNonOptimizedInTimed + JitOptimizedInTimed > 0
              ? (JitQuietAtStart == false ? "; " : "") + $"compiled during timed rounds: {JitNonOptimizedInTimed} non-optimized, {JitOptimizedInTimed} tier-1"
              : "")
          + (JitMethods.Count > 0 ? " (" + string.Join(", ", JitMethods) + ")" : "");

    /// <summary>Notes what <paramref name="events"/> (compiled while this contender ran) say about its code.</summary>
    public void AddJitEvents(IReadOnlyList<JitEvent> events, bool timed)
    {
        foreach (var e in events)
        {
            if (timed)
            {
                if (e.IsNonOptimized)
                {
                    JitNonOptimizedInTimed++;
                }
                else
                {
                    JitOptimizedInTimed++;
                }
            }

            var text = $"{e.Method} [{e.Tier}]";
            if (JitMethods.Count < 3 && !JitMethods.Contains(text))
            {
                JitMethods.Add(text);
            }
        }
    }

    public double Median => Stats.Median(Samples);

    public double Min => Samples.Count == 0 ? double.NaN : Samples.Min();

    public double Max => Samples.Count == 0 ? double.NaN : Samples.Max();

    public double? MedianBytesPerOp => BytesPerOp.Count == 0 ? null : Stats.Median(BytesPerOp);

    public double? MedianCallerBytesPerOp => CallerBytesPerOp.Count == 0 ? null : Stats.Median(CallerBytesPerOp);

    public void AddExtra(string key, double value)
    {
        if (!Extras.TryGetValue(key, out var list))
        {
            Extras[key] = list = [];
        }

        list.Add(value);
    }

    public double? ExtraMedian(string key) => Extras.TryGetValue(key, out var list) && list.Count > 0 ? Stats.Median(list) : null;
}

/// <summary>Order statistics.</summary>
internal static class Stats
{
    public static double Median(IReadOnlyList<double> values) => Percentile(values, 0.5);

    public static double Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToArray();
        var rank = p * (sorted.Length - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + ((sorted[hi] - sorted[lo]) * (rank - lo));
    }

    /// <summary>Median over the rounds both lists have of a[i] / b[i].</summary>
    public static double? PairedRatio(IReadOnlyList<double> a, IReadOnlyList<double> b)
    {
        var n = Math.Min(a.Count, b.Count);
        if (n == 0)
        {
            return null;
        }

        var ratios = new double[n];
        for (var i = 0; i < n; i++)
        {
            ratios[i] = a[i] / b[i];
        }

        return Median(ratios);
    }
}
