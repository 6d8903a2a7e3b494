using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace CrossCore.Cli.Top;

/// <summary>The screen of <c>crosscore top</c>: one row per core of every set in the watched process.</summary>
internal static class TopView
{
    private static readonly CultureInfo s_ic = CultureInfo.InvariantCulture;

    public static IRenderable Render(int processId, string processName, TopModel model, bool ended)
    {
        var table = new Table().Border(TableBorder.Rounded);
        table.AddColumn("set");
        table.AddColumn(new TableColumn("core").RightAligned());
        table.AddColumn("state");
        foreach (var column in new[] { "calls/s", "lane calls/s", "mean batch", "wake-ups sent/s", "avoided/s", "stuck" })
        {
            table.AddColumn(new TableColumn(column).RightAligned());
        }

        var rows = model.Snapshot();
        foreach (var (key, row) in rows)
        {
            table.AddRow(
                Markup.Escape(key.Set),
                key.Core.ToString(s_ic),
                StateMarkup(row.State),
                Rate(row.CallsPerSecond),
                Rate(row.LaneCallsPerSecond),
                row.MeanBatch is { } mean ? mean.ToString("0.00", s_ic) : "-",
                Rate(row.WakeupsSentPerSecond),
                Rate(row.WakeupsAvoidedPerSecond),
                row.StuckNow is > 0 and var s ? $"[red]{s.ToString(s_ic)}[/]" : row.StuckNow?.ToString(s_ic) ?? "-");
        }

        var status = model.Error is { } error ? $"[red]{Markup.Escape(error)}[/]"
            : ended ? "[yellow]the process exited (or closed the session)[/]"
            : rows.Count == 0 ? (model.Collections == 0 ? "waiting for the first collection..." : "no CrossCore core in this process (yet)")
            : string.Create(s_ic, $"{model.Collections} collections");
        table.Caption(string.Create(s_ic, $"crosscore top: process {processId} ({Markup.Escape(processName)})  {status}  [grey]q or Ctrl-C quits[/]"));
        return table;
    }

    private static string Rate(double? perSecond) => perSecond is { } v ? v.ToString("N0", s_ic) : "-";

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
