using System.Globalization;

namespace CrossCore.Cli.Torture;

/// <summary>The one-line status a plain (quiet or redirected) run prints every <c>--status</c> seconds, and the soak's.</summary>
internal static class TortureStatus
{
    /// <summary>The prefix of every status line (tests and scripts wait for it).</summary>
    public const string Prefix = "status ";

    /// <summary>
    /// A snapshot of a running engine: elapsed time, accepted and executed runs, violations, hotplug operations and
    /// the managed heap (a soak's memory must stay bounded).
    /// </summary>
    public static string Line(TortureEngine engine)
    {
        var hotplug = engine.Toggler?.OfflineOps ?? 0; // a display snapshot: a stale count is harmless
        return string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{engine.Elapsed.TotalSeconds:F1} s: accepted {engine.Accepted():N0}, executed {engine.Executed():N0}, violations {engine.Violations.Total:N0}, offline ops {hotplug:N0}, heap {HeapMegabytes():F0} MB, phase {engine.Phase}");
    }

    /// <summary>The managed heap now, in MB (without forcing a collection).</summary>
    public static double HeapMegabytes() => GC.GetTotalMemory(forceFullCollection: false) / (1024.0 * 1024.0);
}
