namespace CrossCore.Diagnostics;

/// <summary>The <c>CrossCore</c> Meter (D3): instruments over every live set's counters.</summary>
internal static class CrossCoreMetrics
{
    private static readonly List<CoreSet> s_sets = [];

    /// <summary>Adds a set to the ones the instruments observe.</summary>
    public static void Register(CoreSet set)
    {
        lock (s_sets)
        {
            s_sets.Add(set);
        }
    }

    /// <summary>Removes a disposed set.</summary>
    public static void Unregister(CoreSet set)
    {
        lock (s_sets)
        {
            s_sets.Remove(set);
        }
    }
}
