namespace CrossCore.Cli.Top;

/// <summary>
/// One value published by the <c>System.Diagnostics.Metrics</c> EventSource of the watched process: an instrument,
/// its tags (<c>k=v</c> pairs) and a rate (counters: the increase over the interval) or a value (up-down counters and
/// gauges: the current value).
/// </summary>
internal sealed record MetricEvent(string Instrument, IReadOnlyDictionary<string, string> Tags, double? Rate, double? Value)
{
    /// <summary>Parses the <c>tags</c> payload: <c>"set=torture,crosscore.core=1"</c> (empty for none).</summary>
    public static IReadOnlyDictionary<string, string> ParseTags(string? tags)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(tags))
        {
            return result;
        }

        foreach (var pair in tags.Split(','))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                result[pair[..eq]] = pair[(eq + 1)..];
            }
        }

        return result;
    }

    /// <summary>A number the EventSource formatted with the invariant culture; null for an empty or bad one.</summary>
    public static double? ParseNumber(string? text) =>
        double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;
}
