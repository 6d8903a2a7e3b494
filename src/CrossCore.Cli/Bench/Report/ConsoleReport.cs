using Spectre.Console;

namespace CrossCore.Cli.Bench.Report;

/// <summary>The tables <c>crosscore bench</c> prints.</summary>
internal static class ConsoleReport
{
    public static void Write(IAnsiConsole console, BenchResults results)
    {
        var m = results.Machine;
        var o = results.Options;
        console.MarkupLine($"[bold]crosscore bench[/]{(o.Quick ? " [yellow](quick: indicative only)[/]" : "")}");
        console.MarkupLine(Markup.Escape($"machine: {m.Cpu}, {m.Cpus} CPUs, {m.Os}, {m.Runtime}, clocksource {m.Clocksource}"));
        console.MarkupLine(Markup.Escape($"placement: {results.Placement.Describe()}{(m.DriverPinningError is { } e ? " (driver pinning failed: " + e + ")" : "")}"));
        console.MarkupLine(Markup.Escape($"rounds: {o.Rounds} measured + {o.WarmupRounds} warm-up, interleaved; median [min–max] over rounds; ratios are medians of per-round ratios"));
        console.MarkupLine(Markup.Escape($"load average before {m.LoadAverageBefore}, after {results.LoadAverageAfter}; Stopwatch.GetTimestamp {results.TimestampCostNs:0.0} ns; took {results.Elapsed.TotalSeconds:0.0} s"));
        console.MarkupLine(Markup.Escape($"jit: {results.JitDescription}"));
        var flagged = results.Scenarios.SelectMany(s => s.Rows).Count(r => r.JitFlagged);
        console.MarkupLine(!results.JitChecked
            ? "[yellow]jit: the runtime's JIT events did not reach the runner: the warm-up was not verified[/]"
            : flagged == 0
                ? "jit: every contender was JIT-quiet before its first timed round and nothing was compiled during the timed rounds"
                : $"[yellow]jit: {flagged} row(s) flagged: code still compiled during their warm-up end or timed rounds (see notes)[/]");
        foreach (var note in results.Notes)
        {
            console.MarkupLine("[yellow]" + Markup.Escape(note) + "[/]");
        }

        if (results.ForeignLoadTotal is { } total)
        {
            var warn = total.Foreign > 0.05 ? " [yellow]other load was present: figures are disturbed; compare only within this run[/]" : "";
            console.MarkupLine(Markup.Escape($"other processes used {total.Foreign:P0} of the CPUs during the run (steal {total.Steal:P0})") + warn);
        }

        console.WriteLine();

        foreach (var (spec, rows) in results.Scenarios)
        {
            if (!spec.EmitTimedRows)
            {
                continue;
            }

            var table = new Table().Border(TableBorder.Rounded)
                .Title(Markup.Escape($"{spec.Id}  {spec.Key}: {spec.Title}" + (results.ForeignLoad.TryGetValue(spec.Key, out var load) ? $"  (other load {load.Foreign:P0})" : "")))
                .AddColumn("contender")
                .AddColumn("role")
                .AddColumn(new TableColumn("median").RightAligned())
                .AddColumn(new TableColumn("min–max").RightAligned())
                .AddColumn(new TableColumn("× floor").RightAligned())
                .AddColumn(new TableColumn("vs peers").RightAligned())
                .AddColumn(new TableColumn("B/op").RightAligned())
                .AddColumn("notes");
            foreach (var row in rows)
            {
                var peer = row.Role == Contenders.ContenderRole.CrossCore
                    ? (row.RatioToBestPeer is { } s ? $"best peer / this = {Format.Ratio(s)}" : "")
                    : (row.RatioToCrossCore is { } c ? $"{Format.Ratio(c)} CrossCore" : "");
                var name = Markup.Escape(row.Name);
                if (row.Role == Contenders.ContenderRole.CrossCore)
                {
                    name = $"[bold]{name}[/]";
                }

                var notes = Markup.Escape(Format.Extras(row));
                if (row.RatioToReferenceFloor is { } futex && row.Role != Contenders.ContenderRole.Reference)
                {
                    notes = Markup.Escape($"{Format.Ratio(futex)} raw futex") + (notes.Length > 0 ? "; " + notes : "");
                }

                if (row.JitFlag is { } jitFlag)
                {
                    notes = "[yellow]" + Markup.Escape("JIT: " + jitFlag) + "[/]" + (notes.Length > 0 ? "; " + notes : "");
                }

                if (row.TargetMet is not null)
                {
                    notes = "target " + Format.Verdict(row) + (notes.Length > 0 ? "; " + notes : "");
                }

                table.AddRow(
                    name,
                    Format.Role(row.Role),
                    Format.Value(row.Median, row.Unit),
                    Markup.Escape($"{Format.Value(row.Min, row.Unit)} – {Format.Value(row.Max, row.Unit)}"),
                    Format.Ratio(row.RatioToFloor),
                    Markup.Escape(peer),
                    row.MedianBytesPerOp is { } b ? Format.Number(b) : "",
                    notes);
            }

            console.Write(table);
            console.WriteLine();
        }

        var derived = new Table().Border(TableBorder.Rounded).Title("P4 allocations, P5 wake-ups, P6 idle CPU")
            .AddColumn("id")
            .AddColumn("measure")
            .AddColumn(new TableColumn("median").RightAligned())
            .AddColumn(new TableColumn("min–max").RightAligned())
            .AddColumn("target")
            .AddColumn("");
        foreach (var row in results.Derived)
        {
            derived.AddRow(
                row.Id,
                Markup.Escape(row.Name),
                Markup.Escape(Format.Value(row.Median, row.Unit)),
                Markup.Escape($"{Format.Number(row.Min)} – {Format.Number(row.Max)}"),
                Markup.Escape(row.Target ?? ""),
                row.TargetMet is { } met ? Format.MetMarkup(met) : "");
        }

        console.Write(derived);
        console.WriteLine();

        var targets = new Table().Border(TableBorder.Rounded).Title("SPEC §9 targets (CrossCore rows)")
            .AddColumn("id")
            .AddColumn("scenario")
            .AddColumn("CrossCore row")
            .AddColumn(new TableColumn("× floor").RightAligned())
            .AddColumn(new TableColumn("best peer / CrossCore").RightAligned())
            .AddColumn("target")
            .AddColumn("");
        foreach (var (spec, rows) in results.Scenarios)
        {
            foreach (var row in rows.Where(r => r.TargetMet is not null))
            {
                targets.AddRow(
                    row.Id,
                    Markup.Escape(spec.Key),
                    Markup.Escape(row.Name),
                    Format.Ratio(row.RatioToFloor),
                    Markup.Escape((row.RatioToBestPeer is { } s ? Format.Ratio(s) : "") + (row.Note is { } n ? " (" + n + ")" : "")),
                    Markup.Escape(row.Target ?? ""),
                    Format.Verdict(row));
            }
        }

        console.Write(targets);
    }
}
