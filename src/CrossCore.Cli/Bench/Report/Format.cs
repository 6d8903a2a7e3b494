using System.Globalization;
using CrossCore.Contenders;

namespace CrossCore.Cli.Bench.Report;

/// <summary>Number formatting shared by the reports.</summary>
internal static class Format
{
    private static readonly CultureInfo s_inv = CultureInfo.InvariantCulture;

    /// <summary>A value in its unit; ns values are scaled to µs or ms when large.</summary>
    public static string Value(double value, string unit)
    {
        if (double.IsNaN(value))
        {
            return "–";
        }

        if (unit.StartsWith("ns/", StringComparison.Ordinal))
        {
            return value switch
            {
                < 10 => value.ToString("0.00", s_inv) + " ns",
                < 1000 => value.ToString("0.0", s_inv) + " ns",
                < 1e6 => (value / 1e3).ToString("0.00", s_inv) + " µs",
                _ => (value / 1e6).ToString("0.00", s_inv) + " ms",
            };
        }

        return Number(value) + " " + unit;
    }

    /// <summary>A plain number with about three significant digits.</summary>
    public static string Number(double value) => value switch
    {
        double.NaN => "–",
        0 => "0",
        _ when Math.Abs(value) >= 100 => value.ToString("0", s_inv),
        _ when Math.Abs(value) >= 10 => value.ToString("0.0", s_inv),
        _ when Math.Abs(value) >= 1 => value.ToString("0.00", s_inv),
        _ when Math.Abs(value) >= 0.01 => value.ToString("0.000", s_inv),
        _ => value.ToString("0.####", s_inv),
    };

    public static string Ratio(double? ratio) => ratio is { } r ? r.ToString("0.00", s_inv) + "×" : "";

    public static string Role(ContenderRole? role) => role switch
    {
        ContenderRole.Floor => "floor",
        ContenderRole.CrossCore => "CrossCore",
        ContenderRole.Peer => "peer",
        ContenderRole.Reference => "reference",
        _ => "",
    };

    public static string Met(bool? met) => met switch
    {
        true => "met",
        false => "MISSED",
        _ => "",
    };

    /// <summary>
    /// The target verdict of a row as console markup: "met" or "MISSED" for the whole target, followed, when the target
    /// has a floor part and a <c>Channel&lt;T&gt;</c> part, by the verdict of each ("floor met, Channel&lt;T&gt; MISSED"),
    /// so a row that meets one part and misses the other says which.
    /// </summary>
    public static string Verdict(Measurement row)
    {
        var whole = MetMarkup(row.TargetMet == true);
        return row.FloorTargetMet is { } floor && row.ChannelTargetMet is { } channel
            ? $"{whole} (floor {MetMarkup(floor)}, Channel<T> {MetMarkup(channel)})"
            : whole;
    }

    /// <summary>"met" in green or "MISSED" in red, as console markup.</summary>
    public static string MetMarkup(bool met) => met ? "[green]met[/]" : "[red]MISSED[/]";

    /// <summary>The extras worth showing in a table cell.</summary>
    public static string Extras(Measurement row)
    {
        var parts = new List<string>();
        if (row.ExtraMedian("wakeups_sent_per_op") is { } sent)
        {
            parts.Add($"wake-ups sent {Number(sent)}/op");
        }

        if (row.ExtraMedian("wakeups_avoided_per_op") is { } avoided)
        {
            parts.Add($"avoided {Number(avoided)}/op");
        }

        if (row.ExtraMedian("mean_batch") is { } batch)
        {
            parts.Add($"batch {Number(batch)}");
        }

        if (row.ExtraMedian("busy_per_op") is { } busy && busy > 0)
        {
            parts.Add($"busy {Number(busy)}/op");
        }

        if (row.ExtraMedian("runs_per_op") is { } runs)
        {
            parts.Add($"runs {Number(runs)}/queue");
        }

        if (row.ExtraMedian("same_thread_per_op") is { } same)
        {
            parts.Add($"both ends on one pool thread in {same:P0} of round trips");
        }

        if (row.Note is { } note)
        {
            parts.Add(note);
        }

        if (row.PinningError is { } pin)
        {
            parts.Add("pinning failed: " + pin);
        }

        return string.Join("; ", parts);
    }
}
