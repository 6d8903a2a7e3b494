using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace CrossCore.Cli.Torture;

/// <summary>Prints a run's result (table, figures, violations, stuck-call reports, verdict) and writes its JSON.</summary>
internal static class TortureReport
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static string Header(TortureOptions o, int invokers, int onCores, CoreSet? set = null)
    {
        var pinning = set is not null && o.Pin ? $"{Environment.NewLine}  {Pinning(set)}" : "";
        var length = o.Iterations > 0 ? $"{o.Iterations:N0} requests per invoker" : $"{o.Duration.TotalSeconds:0.#} s";
        var hotplug = o.Hotplug ? $"hotplug every ~{o.HotplugInterval.TotalMilliseconds:0} ms" : "no hotplug";
        var fault = o.Fault != RuntimeFault.None ? $", FAULT {o.Fault.Name()}" : "";
        var sabotage = o.Sabotage != Sabotage.None ? $", SABOTAGE {o.Sabotage.Name()}" : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"crosscore torture: seed {o.Seed}, {o.Cores} cores on {Environment.ProcessorCount} hardware threads{(o.Cores > Environment.ProcessorCount ? " (oversubscribed)" : "")}, " +
            $"{invokers} invokers ({onCores} in task context on the cores, {invokers - onCores} outside){Environment.NewLine}" +
            $"  {length}, {hotplug}, delay {o.Delay.ToString().ToLowerInvariant()}{fault}{sabotage}{pinning}");
    }

    /// <summary>How the cores are pinned, with a warning when cores share a hardware CPU or pinning failed.</summary>
    public static string Pinning(CoreSet set)
    {
        int pinned = 0, sharing = 0, failed = 0;
        var cpus = new HashSet<int>();
        string? error = null;
        for (var c = 0; c < set.Count; c++)
        {
            var info = set.GetCoreInfo(c);
            if (info.IsPinned)
            {
                pinned++;
                cpus.Add(info.HardwareCpu);
            }
            else if (info.PinningError is { } e)
            {
                failed++;
                error ??= e;
            }

            if (info.SharesHardwareCpu)
            {
                sharing++;
            }
        }

        var text = $"pinned: {pinned} of {set.Count} cores on {cpus.Count} hardware CPUs";
        if (sharing > 0)
        {
            text += $"; WARNING: {sharing} cores share a hardware CPU with another core (they take turns on it, not run in parallel)";
        }

        if (failed > 0)
        {
            text += $"; WARNING: pinning failed for {failed} cores ({error})";
        }

        return text;
    }

    public static void Print(IAnsiConsole console, TortureResult r, bool ascii)
    {
        var table = new Table().Border(ascii ? TableBorder.Ascii : TableBorder.Rounded);
        table.AddColumn("primitive");
        foreach (var column in new[] { "weight", "attempts", "ok", "busy", "offline", "coalesced", "cancelled", "errors", "p50", "p99" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        foreach (var p in r.Primitives)
        {
            table.AddRow(
                p.Name,
                N(p.Weight),
                N(p.Attempts),
                N(p.Ok),
                N(p.Busy),
                N(p.Offline),
                N(p.Coalesced),
                N(p.Cancelled),
                p.Errors == 0 ? "0" : (ascii ? N(p.Errors) : $"[red]{N(p.Errors)}[/]"),
                Latency(p.P50Nanoseconds, ascii),
                Latency(p.P99Nanoseconds, ascii));
        }

        console.Write(table);
        var lines = new List<string>
        {
            $"wake-ups: sent {N(r.WakeupsSent)}, avoided by polling {N(r.WakeupsAvoided)}, per request {r.WakeupsPerRequest.ToString("0.0000", CultureInfo.InvariantCulture)} " +
            $"(inbox batches {N(r.Batches)}, mean {r.MeanBatch.ToString("0.00", CultureInfo.InvariantCulture)}, max {N(r.MaxBatch)}; parks {N(r.Parks)})",
            $"waiting calls run: {N(r.SyncRuns)}, {N(r.LaneRuns)} of them through sender lanes, {N(r.SyncRuns - r.LaneRuns)} through the inboxes",
            r.Hotplug
                ? $"hotplug: {N(r.OfflineOps)} offline, {N(r.OnlineOps)} online ({N(r.AllOfflineEpisodes)} all-offline episodes checked)"
                : "hotplug: off",
            r.AlignedRace
                ? $"aligned race: {N(r.AlignedRounds)} rounds at the release instant, {N(r.AlignedObliged)} answered Busy or Coalesced (each run in flight had to see the write: O4, O6)"
                : "aligned race: off",
            r.AlignedRace
                ? $"park race: {N(r.ParkRaceRounds)} rounds against a core that parks when idle, {N(r.ParkRaceObliged)} posts sent no wake-up (the core's park re-check had to find each: O7)"
                : "park race: off",
            $"awaited calls: ran {N(r.AwaitedRan)} ({N(r.AwaitedCancelTooLate)} after a cancel that came too late), cancelled before start {N(r.AwaitedCancelledBeforeStart)} " +
            $"({N(r.AwaitedCancelledWhileQueued)} while queued), offline {N(r.AwaitedOffline)}",
            $"exactly-once: accepted {N(r.Accepted)} runs, executed {N(r.Executed)} in {r.DurationSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s",
            $"stuck-call reports: {N(r.StuckReports)}{(r.StuckReports > 0 ? $" ({N(r.StuckIncidents)} incidents; the first {r.StuckExamples.Count}:)" : "")}",
        };
        foreach (var example in r.StuckExamples)
        {
            lines.Add($"  {Truncate(example, 400)}");
        }

        if (r.StarvedWaits > 0)
        {
            lines.Add($"late wake checks: {N(r.StarvedWaits)} returns more than the slack after their release, the waiter awake but not run (starved; not a lost wake-up), the latest {r.StarvedWaitMaxMs.ToString("0", CultureInfo.InvariantCulture)} ms");
        }

        foreach (var v in r.ViolationKinds)
        {
            lines.Add($"violation {v.Kind} x{N(v.Count)}: {Truncate(v.Example ?? "", 2000)}");
        }

        foreach (var line in lines)
        {
            console.WriteLine(line);
        }

        if (ascii)
        {
            console.WriteLine(r.Summary);
        }
        else
        {
            var color = r.Success ? "green" : r.Verdict == "FAILURE" ? "red" : "yellow";
            console.MarkupLine($"[{color}]{Markup.Escape(r.Summary)}[/]");
        }
    }

    public static void WriteJson(TortureResult r, string path)
    {
        var full = Path.GetFullPath(path);
        if (Path.GetDirectoryName(full) is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
        }

        File.WriteAllText(full, JsonSerializer.Serialize(r, s_json));
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Latency(long ns, bool ascii)
    {
        var ic = CultureInfo.InvariantCulture;
        if (ns == 0)
        {
            return "-";
        }

        if (ns < 10_000)
        {
            return string.Create(ic, $"{ns} ns");
        }

        if (ns < 10_000_000)
        {
            return string.Create(ic, $"{ns / 1000.0:0.0} {(ascii ? "us" : "µs")}");
        }

        return string.Create(ic, $"{ns / 1_000_000.0:0.0} ms");
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max] + " ...";
}
