using System.Globalization;
using System.Net;
using System.Text;
using CrossCore.Contenders;

namespace CrossCore.Cli.Bench.Report;

/// <summary>
/// <c>--html</c>: one self-contained page (inline CSS and SVG, no script, no network): for each latency scenario the
/// latency distribution of every contender as a CDF on a log axis, for every scenario the per-round medians (the
/// vCPU moves show up there) and bars with min–max whiskers, then the tables.
/// </summary>
internal static class HtmlReport
{
    private static readonly string[] s_palette = ["#222222", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22"];
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    public static void Write(string path, BenchResults results)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        File.WriteAllText(path, Render(results), Encoding.UTF8);
    }

    public static string Render(BenchResults results)
    {
        var m = results.Machine;
        var o = results.Options;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>crosscore bench</title><style>")
            .Append("body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}")
            .Append("h1{font-size:22px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;padding-bottom:4px}")
            .Append("table{border-collapse:collapse;margin:10px 0;font-size:13px}td,th{border:1px solid #ddd;padding:3px 7px;text-align:left;vertical-align:top}")
            .Append("td.n{text-align:right;white-space:nowrap}th{background:#f4f4f4}.met{color:#1a7f37;font-weight:bold}.miss{color:#cf222e;font-weight:bold}")
            .Append(".cc{font-weight:bold}.meta{color:#555}svg{display:block;margin:8px 0}svg text{font:12px system-ui,sans-serif}.charts{display:flex;flex-wrap:wrap;gap:12px}")
            .Append("</style></head><body>");
        html.Append("<h1>crosscore bench</h1><p class=\"meta\">")
            .Append(E($"{m.Cpu}, {m.Cpus} CPUs, {m.Os}, {m.Runtime}, clocksource {m.Clocksource}")).Append("<br>")
            .Append(E(results.Placement.Describe())).Append("<br>")
            .Append(E("JIT: " + results.JitDescription + (results.JitChecked ? "" : "; the runtime's JIT events did not reach the runner: warm-up not verified"))).Append("<br>")
            .Append(string.Concat(results.Notes.Select(n => E(n) + "<br>")))
            .Append(E($"{o.Rounds} measured rounds (+{o.WarmupRounds} warm-up), contenders interleaved; medians with min–max over rounds; ratios are medians of per-round ratios{(o.Quick ? "; QUICK RUN: indicative only" : "")}")).Append("<br>")
            .Append(E($"load average before {m.LoadAverageBefore}, after {results.LoadAverageAfter}; per-operation latencies include one Stopwatch.GetTimestamp ({results.TimestampCostNs:0.0} ns); run took {results.Elapsed.TotalSeconds:0.0} s"))
            .Append(results.ForeignLoadTotal is { } total ? "<br>" + E($"other processes used {total.Foreign:P0} of the CPUs during the run (steal {total.Steal:P0}){(total.Foreign > 0.05 ? ": figures disturbed, compare only within this run" : "")}") : "")
            .Append("</p>");

        AppendTargets(html, results);

        foreach (var (spec, rows) in results.Scenarios)
        {
            if (!spec.EmitTimedRows)
            {
                continue;
            }

            html.Append("<h2 id=\"").Append(spec.Key.Replace('/', '-')).Append("\">").Append(E($"{spec.Id} · {spec.Key}: {spec.Title}")).Append("</h2>");
            if (results.ForeignLoad.TryGetValue(spec.Key, out var load))
            {
                html.Append("<p class=\"meta\">").Append(E($"other processes used {load.Foreign:P0} of the CPUs while this scenario ran (steal {load.Steal:P0}); {rows.FirstOrDefault()?.Samples.Count} rounds")).Append("</p>");
            }

            html.Append("<div class=\"charts\">");
            if (spec.Kind == ScenarioKind.Latency && rows.Any(r => r.Latencies.Count > 0))
            {
                html.Append(CdfChart(rows, $"latency distribution per round trip (CDF, log scale), {rows.Max(r => r.Latencies.Count)} ops each"));
            }

            html.Append(BarChart(rows, spec.Unit));
            html.Append(RoundsChart(rows, spec.Unit));
            html.Append("</div>");
            AppendScenarioTable(html, rows);
        }

        html.Append("<h2>P4 allocations, P5 wake-ups, P6 idle CPU</h2><table><tr><th>id</th><th>measure</th><th>median</th><th>min–max</th><th>target</th><th></th><th>note</th></tr>");
        foreach (var row in results.Derived)
        {
            html.Append("<tr><td>").Append(row.Id).Append("</td><td>").Append(E(row.Name)).Append("</td><td class=\"n\">")
                .Append(E(Format.Value(row.Median, row.Unit))).Append("</td><td class=\"n\">")
                .Append(E($"{Format.Number(row.Min)} – {Format.Number(row.Max)}")).Append("</td><td>").Append(E(row.Target ?? ""))
                .Append("</td><td>").Append(MetCell(row.TargetMet)).Append("</td><td>").Append(E(row.Note ?? "")).Append("</td></tr>");
        }

        html.Append("</table></body></html>");
        return html.ToString();
    }

    private static void AppendTargets(StringBuilder html, BenchResults results)
    {
        html.Append("<h2>SPEC §9 targets</h2><table><tr><th>id</th><th>scenario</th><th>measure</th><th>value</th><th>target</th><th></th></tr>");
        foreach (var (spec, rows) in results.Scenarios)
        {
            foreach (var row in rows.Where(r => r.TargetMet is not null))
            {
                var parts = new List<string> { Format.Value(row.Median, row.Unit) };
                if (row.RatioToFloor is { } f)
                {
                    parts.Add($"{Format.Ratio(f)} floor");
                }

                parts.Add(row.RatioToBestPeer is { } p ? $"best peer / this = {Format.Ratio(p)}" : "no peer in this scenario");
                if (row.Note is { } n)
                {
                    parts.Add(n);
                }

                var value = string.Join("; ", parts);
                html.Append("<tr><td>").Append(row.Id).Append("</td><td>").Append(E(spec.Key)).Append("</td><td>").Append(E(row.Name))
                    .Append("</td><td>").Append(E(value)).Append("</td><td>").Append(E(row.Target ?? "")).Append("</td><td>")
                    .Append(MetCell(row.TargetMet));
                if (row.FloorTargetMet is { } floor && row.ChannelTargetMet is { } channel)
                {
                    html.Append(" (floor ").Append(MetCell(floor)).Append(", Channel&lt;T&gt; ").Append(MetCell(channel)).Append(')');
                }

                html.Append("</td></tr>");
            }
        }

        foreach (var row in results.Derived.Where(r => r.TargetMet is not null))
        {
            html.Append("<tr><td>").Append(row.Id).Append("</td><td>").Append(E(row.Scenario)).Append("</td><td>").Append(E(row.Name))
                .Append("</td><td>").Append(E(Format.Value(row.Median, row.Unit))).Append("</td><td>").Append(E(row.Target ?? ""))
                .Append("</td><td>").Append(MetCell(row.TargetMet)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    private static void AppendScenarioTable(StringBuilder html, List<Measurement> rows)
    {
        html.Append("<table><tr><th>contender</th><th>role</th><th>median of round means</th><th>min–max</th><th>× floor</th><th>vs peers</th><th>B/op</th><th>p50 / p99 per op</th><th>notes</th></tr>");
        foreach (var row in rows)
        {
            var peer = row.Role == ContenderRole.CrossCore
                ? (row.RatioToBestPeer is { } s ? $"best peer / this = {Format.Ratio(s)}" : "")
                : (row.RatioToCrossCore is { } c ? $"{Format.Ratio(c)} CrossCore" : "");
            var pct = row.Latencies.Count > 0
                ? $"{Format.Value(Stats.Percentile(row.Latencies, 0.5), row.Unit)} / {Format.Value(Stats.Percentile(row.Latencies, 0.99), row.Unit)}"
                : "";
            var notes = Format.Extras(row);
            if (row.RatioToReferenceFloor is { } futex && row.Role != ContenderRole.Reference)
            {
                notes = $"{Format.Ratio(futex)} raw futex" + (notes.Length > 0 ? "; " + notes : "");
            }

            var jitCell = row.JitFlag is { } jitFlag ? "<span class=\"miss\">" + E("JIT: " + jitFlag) + "</span> " : "";
            html.Append("<tr><td").Append(row.Role == ContenderRole.CrossCore ? " class=\"cc\"" : "").Append('>').Append(E(row.Name))
                .Append("</td><td>").Append(Format.Role(row.Role)).Append("</td><td class=\"n\">").Append(E(Format.Value(row.Median, row.Unit)))
                .Append("</td><td class=\"n\">").Append(E($"{Format.Value(row.Min, row.Unit)} – {Format.Value(row.Max, row.Unit)}"))
                .Append("</td><td class=\"n\">").Append(Format.Ratio(row.RatioToFloor)).Append("</td><td>").Append(E(peer))
                .Append("</td><td class=\"n\">").Append(row.MedianBytesPerOp is { } b ? Format.Number(b) : "").Append("</td><td class=\"n\">").Append(E(pct))
                .Append("</td><td>").Append(row.TargetMet is { } met ? MetCell(met) + " " : "").Append(jitCell).Append(E(notes)).Append("</td></tr>");
        }

        html.Append("</table>");
    }

    // ----------------------------------------------------------------------------------------------------------------
    // Charts (inline SVG)
    // ----------------------------------------------------------------------------------------------------------------

    private const int W = 1060;
    private const int H = 330; // the plot; the legend goes below it, one full-width line per series (nothing cut)
    private const int Left = 78;
    private const int Right = 24;
    private const int Top = 26;
    private const int Bottom = 40;
    private const int LegendLine = 18;
    private const int MinLabelGapX = 56; // px between axis tick labels, so they never run together
    private const int MinLabelGapY = 16;

    private static string CdfChart(List<Measurement> rows, string title)
    {
        var series = rows.Where(r => r.Latencies.Count > 0).ToList();
        var lo = series.Min(r => Stats.Percentile(r.Latencies, 0.001));
        var hi = series.Max(r => Stats.Percentile(r.Latencies, 0.999));
        var (x0, x1) = LogRange(lo, hi);
        var svg = Begin(title, series.Count);
        AxisLogX(svg, x0, x1, "ns per round trip (incl. one timestamp)");
        for (var q = 0; q <= 4; q++)
        {
            var y = Top + ((H - Top - Bottom) * (1 - (q / 4.0)));
            svg.Append(Line(Left, y, W - Right, y, "#eee"));
            svg.Append(Text(Left - 6, y + 4, (q * 25).ToString(s_inv) + "%", "end"));
        }

        for (var i = 0; i < series.Count; i++)
        {
            var sorted = series[i].Latencies.Order().ToArray();
            var points = new StringBuilder();
            var step = Math.Max(1, sorted.Length / 500);
            for (var k = 0; k < sorted.Length; k += step)
            {
                var v = Math.Clamp(sorted[k], Math.Pow(10, x0), Math.Pow(10, x1));
                var x = Left + ((W - Left - Right) * (Math.Log10(v) - x0) / (x1 - x0));
                var y = Top + ((H - Top - Bottom) * (1 - ((k + 1.0) / sorted.Length)));
                points.Append(F(x)).Append(',').Append(F(y)).Append(' ');
            }

            var color = s_palette[i % s_palette.Length];
            var tip = $"{series[i].Name}: p50 {Format.Value(Stats.Percentile(sorted, 0.5), "ns/op")}, p90 {Format.Value(Stats.Percentile(sorted, 0.9), "ns/op")}, p99 {Format.Value(Stats.Percentile(sorted, 0.99), "ns/op")}";
            svg.Append("<polyline fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"")
                .Append(series[i].Role == ContenderRole.CrossCore ? "2.6" : "1.6").Append("\" points=\"").Append(points).Append("\"><title>")
                .Append(E(tip)).Append("</title></polyline>");
            Legend(svg, i, color, $"{series[i].Name}: per-op p50 {Format.Value(Stats.Percentile(sorted, 0.5), "ns/op")}, p99 {Format.Value(Stats.Percentile(sorted, 0.99), "ns/op")}", series[i].Role);
        }

        return End(svg);
    }

    private static string BarChart(List<Measurement> rows, string unit)
    {
        var lo = rows.Min(r => r.Min);
        var hi = rows.Max(r => r.Max);
        var (x0, x1) = LogRange(lo, hi);
        var barH = Math.Min(26.0, (H - Top - Bottom) / Math.Max(1.0, rows.Count) - 4);
        // Each round yields one figure per contender: the round's time / its operations (a mean per op, tail
        // included). The bar is the median of those figures over the rounds, the whiskers their min and max. In a
        // latency scenario this is not the median round trip (the CDF's p50): preemptions in the tail raise a mean.
        var svg = Begin($"mean per op of each round: median over rounds (bar), min–max (whiskers) ({unit}, log scale)", rows.Count);
        AxisLogX(svg, x0, x1, unit);
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            var color = s_palette[i % s_palette.Length];
            double X(double v) => Left + ((W - Left - Right) * (Math.Log10(Math.Clamp(v, Math.Pow(10, x0), Math.Pow(10, x1))) - x0) / (x1 - x0));
            var y = Top + 4 + (i * (barH + 4));
            svg.Append("<rect x=\"").Append(F(Left)).Append("\" y=\"").Append(F(y)).Append("\" width=\"").Append(F(X(row.Median) - Left))
                .Append("\" height=\"").Append(F(barH)).Append("\" fill=\"").Append(color).Append("\" fill-opacity=\"0.75\"><title>")
                .Append(E($"{row.Name}: {Format.Value(row.Median, unit)} [{Format.Value(row.Min, unit)} – {Format.Value(row.Max, unit)}]")).Append("</title></rect>");
            svg.Append(Line(X(row.Min), y + (barH / 2), X(row.Max), y + (barH / 2), "#000"));
            svg.Append(Line(X(row.Min), y + 3, X(row.Min), y + barH - 3, "#000"));
            svg.Append(Line(X(row.Max), y + 3, X(row.Max), y + barH - 3, "#000"));
            Legend(svg, i, color, $"{row.Name}: {Format.Value(row.Median, unit)}", row.Role);
        }

        return End(svg);
    }

    private static string RoundsChart(List<Measurement> rows, string unit)
    {
        var all = rows.SelectMany(r => r.Samples).Where(double.IsFinite).ToList();
        if (all.Count == 0)
        {
            return "";
        }

        var (y0, y1) = LogRange(all.Min(), all.Max());
        var n = rows.Max(r => r.Samples.Count);
        var svg = Begin($"mean per op of each round ({unit}, log scale): rounds differ as the host moves vCPUs; ratios are paired per round", rows.Count);
        var labelMinors = (H - Top - Bottom) / (y1 - y0) * Math.Log10(2) >= MinLabelGapY;
        for (var d = (int)Math.Floor(y0); d <= (int)Math.Ceiling(y1); d++)
        {
            foreach (var mult in new[] { 1, 2, 5 })
            {
                var v = mult * Math.Pow(10, d);
                var lv = Math.Log10(v);
                if (lv < y0 || lv > y1)
                {
                    continue;
                }

                var y = Top + ((H - Top - Bottom) * (1 - ((lv - y0) / (y1 - y0))));
                svg.Append(Line(Left, y, W - Right, y, mult == 1 ? "#ccc" : "#f0f0f0"));
                if (mult == 1 || labelMinors)
                {
                    svg.Append(Text(Left - 6, y + 4, Short(v, unit), "end"));
                }
            }
        }

        svg.Append(Text((Left + W - Right) / 2.0, H - 8, "round", "middle"));
        for (var i = 0; i < rows.Count; i++)
        {
            var points = new StringBuilder();
            for (var k = 0; k < rows[i].Samples.Count; k++)
            {
                var x = Left + ((W - Left - Right) * (n <= 1 ? 0.5 : k / (double)(n - 1)));
                var y = Top + ((H - Top - Bottom) * (1 - ((Math.Log10(Math.Max(rows[i].Samples[k], 1e-9)) - y0) / (y1 - y0))));
                points.Append(F(x)).Append(',').Append(F(y)).Append(' ');
            }

            var color = s_palette[i % s_palette.Length];
            svg.Append("<polyline fill=\"none\" stroke=\"").Append(color).Append("\" stroke-width=\"1.5\" points=\"").Append(points).Append("\"/>");
            Legend(svg, i, color, rows[i].Name, rows[i].Role);
        }

        return End(svg);
    }

    private static StringBuilder Begin(string title, int series)
    {
        var svg = new StringBuilder();
        var height = H + 8 + (series * LegendLine);
        svg.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").Append(W).Append("\" height=\"").Append(height)
            .Append("\" viewBox=\"0 0 ").Append(W).Append(' ').Append(height).Append("\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>");
        svg.Append(Text(Left, 16, title, "start", "bold"));
        return svg;
    }

    private static string End(StringBuilder svg) => svg.Append("</svg>").ToString();

    private static void Legend(StringBuilder svg, int i, string color, string label, ContenderRole? role)
    {
        var x = Left;
        var y = H + 4 + (i * LegendLine);
        svg.Append("<rect x=\"").Append(x).Append("\" y=\"").Append(y).Append("\" width=\"12\" height=\"12\" fill=\"").Append(color).Append("\"/>");
        svg.Append(Text(x + 17, y + 10, label, "start", role == ContenderRole.CrossCore ? "bold" : null));
    }

    private static void AxisLogX(StringBuilder svg, double x0, double x1, string label)
    {
        var yAxis = H - Bottom;
        svg.Append(Line(Left, yAxis, W - Right, yAxis, "#888"));
        var lastLabel = double.NegativeInfinity;
        var labelMinors = (W - Left - Right) / (x1 - x0) * Math.Log10(2) >= MinLabelGapX;
        for (var d = (int)Math.Floor(x0); d <= (int)Math.Ceiling(x1); d++)
        {
            foreach (var mult in new[] { 1, 2, 5 })
            {
                var v = mult * Math.Pow(10, d);
                var lv = Math.Log10(v);
                if (lv < x0 - 1e-9 || lv > x1 + 1e-9)
                {
                    continue;
                }

                var x = Left + ((W - Left - Right) * (lv - x0) / (x1 - x0));
                svg.Append(Line(x, Top, x, yAxis, mult == 1 ? "#ccc" : "#f0f0f0"));
                if ((mult == 1 || labelMinors) && x - lastLabel >= MinLabelGapX)
                {
                    svg.Append(Text(x, yAxis + 15, Short(v, label), "middle"));
                    lastLabel = x;
                }
            }
        }

        svg.Append(Text((Left + W - Right) / 2.0, H - 6, label, "middle"));
    }

    private static string Short(double v, string unit) => unit.StartsWith("ns", StringComparison.Ordinal)
        ? v switch
        {
            < 1000 => v.ToString("0", s_inv) + " ns",
            < 1e6 => (v / 1e3).ToString("0.#", s_inv) + " µs",
            _ => (v / 1e6).ToString("0.#", s_inv) + " ms",
        }
        : v.ToString("0.##", s_inv);

    private static (double Lo, double Hi) LogRange(double lo, double hi)
    {
        lo = Math.Max(lo, 1e-3);
        hi = Math.Max(hi, lo * 1.5);
        return (Math.Log10(lo) - 0.05, Math.Log10(hi) + 0.05);
    }

    private static string Line(double x1, double y1, double x2, double y2, string color) =>
        $"<line x1=\"{F(x1)}\" y1=\"{F(y1)}\" x2=\"{F(x2)}\" y2=\"{F(y2)}\" stroke=\"{color}\" stroke-width=\"1\"/>";

    private static string Text(double x, double y, string text, string anchor, string? weight = null) =>
        $"<text x=\"{F(x)}\" y=\"{F(y)}\" text-anchor=\"{anchor}\"{(weight is null ? "" : $" font-weight=\"{weight}\"")}>{E(text)}</text>";

    private static string F(double v) => v.ToString("0.#", s_inv);

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string MetCell(bool? met) => met switch
    {
        true => "<span class=\"met\">met</span>",
        false => "<span class=\"miss\">MISSED</span>",
        _ => "",
    };
}
