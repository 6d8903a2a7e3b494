using System.Globalization;
using Spectre.Console;

namespace CrossCore.Cli.Torture;

/// <summary>The live progress display (about four refreshes a second) while the engine runs.</summary>
internal static class LiveDisplay
{
    public static void Run(IAnsiConsole console, TortureEngine engine)
    {
        console.Live(Render(engine))
            .AutoClear(true)
            .Overflow(VerticalOverflow.Ellipsis)
            .Start(ctx =>
            {
                while (!engine.WaitForCompletion(TimeSpan.FromMilliseconds(250)))
                {
                    ctx.UpdateTarget(Render(engine));
                }
            });
    }

    private static Table Render(TortureEngine engine)
    {
        var ic = CultureInfo.InvariantCulture;
        var o = engine.Options;
        var elapsed = engine.Elapsed.TotalSeconds;
        var progress = o.Iterations > 0
            ? string.Create(ic, $"{elapsed:0.0} s")
            : string.Create(ic, $"{elapsed:0.0} / {o.Duration.TotalSeconds:0.#} s");
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("primitive");
        foreach (var column in new[] { "attempts", "ok", "busy", "offline", "coalesced", "errors" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        long total = 0;
        foreach (var p in o.Weights.Enabled())
        {
            var (a, ok, busy, offline, coalesced) = engine.Counters(p);
            total += a;
            var errors = engine.Violations.ForPrimitive(p);
            table.AddRow(
                p.Name(),
                a.ToString("N0", ic),
                ok.ToString("N0", ic),
                busy.ToString("N0", ic),
                offline.ToString("N0", ic),
                coalesced.ToString("N0", ic),
                errors == 0 ? "0" : $"[red]{errors.ToString("N0", ic)}[/]");
        }

        var toggler = engine.Toggler;
        var violations = engine.Violations.Total;
        var caption = string.Create(ic,
            $"{Markup.Escape(engine.Phase)} {progress}  requests {total:N0} ({(elapsed > 0 ? total / elapsed : 0):N0}/s)  " +
            $"hotplug {toggler?.OfflineOps ?? 0:N0} off / {toggler?.OnlineOps ?? 0:N0} on  stuck reports {engine.StuckCalls.Reports:N0}  ");
        table.Caption(caption + (violations == 0 ? "[green]no violations[/]" : $"[red]{violations:N0} violations[/]"));
        return table;
    }
}
