using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrossCore.Cli.Top;

/// <summary>The screen of <c>crosscore top</c>: one row per core of every set in the watched process.</summary>
internal static class TopView
{
    private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;

    public static IRenderable Render(int processId, string processName, TopModel model, bool ended)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("set");
        table.AddColumn(new TableColumn("core").RightAligned());
        table.AddColumn("state");
        foreach (var column in new[] { "calls/s", "mean batch", "wake-ups sent/s", "avoided/s", "stuck" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        var rows = model.Snapshot();
        foreach (var (key, row) in rows)
        {
            table.AddRow(
                Markup.Escape(key.Set),
                key.Core.ToString(Ic),
                StateMarkup(row.State),
                Rate(row.CallsPerSecond),
                row.MeanBatch is { } mean ? mean.ToString("0.00", Ic) : "-",
                Rate(row.WakeupsSentPerSecond),
                Rate(row.WakeupsAvoidedPerSecond),
                row.StuckNow is > 0 and var s ? $"[red]{s.ToString(Ic)}[/]" : row.StuckNow?.ToString(Ic) ?? "-");
        }

        var status = model.Error is { } error ? $"[red]{Markup.Escape(error)}[/]"
            : ended ? "[yellow]the process exited (or closed the session)[/]"
            : rows.Count == 0 ? (model.Collections == 0 ? "waiting for the first collection..." : "no CrossCore core in this process (yet)")
            : string.Create(Ic, $"{model.Collections} collections");
        table.Caption(string.Create(Ic, $"crosscore top: process {processId} ({Markup.Escape(processName)})  {status}  [grey]q or Ctrl-C quits[/]"));
        return table;
    }

    private static string Rate(double? perSecond) => perSecond is { } v ? v.ToString("N0", Ic) : "-";

    private static string StateMarkup(string? state) => state switch
    {
        "running" => "[green]running[/]",
        "polling" => "[yellow]polling[/]",
        "parked" => "[blue]parked[/]",
        "offline" => "[grey]offline[/]",
        null => "-",
        _ => Markup.Escape(state),
    };
}
