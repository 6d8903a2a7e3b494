using System.Diagnostics.Metrics;

namespace CrossCore;

/// <summary>
/// The per-core instruments of the <c>CrossCore</c> Meter: what <c>crosscore top</c> shows for each core (state,
/// functions run, batches, wake-ups, stuck waits), tagged <c>set</c> and <c>crosscore.core</c> (the core id).
/// </summary>
/// <remarks>
/// All observable: the cores keep these counts anyway, and the callbacks read them only when a collector asks, so
/// they cost nothing while nobody listens. Unlike the set-wide counters they observe live sets only: a disposed
/// set's per-core series end with it. Sets that share a name are summed per core id.
/// </remarks>
internal static class PerCoreInstruments
{
    /// <summary>The core-id tag.</summary>
    public const string CoreTag = "crosscore.core";

    /// <summary>The state tag of <c>crosscore.core.state</c>.</summary>
    public const string StateTag = "crosscore.core.state";

    private static readonly string[] s_states = ["running", "polling", "parked", "offline"]; // indexed by CoreState

    /// <summary>Creates the per-core instruments on <paramref name="meter"/>, observing the sets <paramref name="liveSets"/> returns.</summary>
    public static void Create(Meter meter, Func<CoreSet[]> liveSets)
    {
        meter.CreateObservableUpDownCounter("crosscore.core.state", () => ObserveStates(liveSets()), "{core}",
            "What each core is doing: 1 for its current state (running, polling, parked, offline), 0 for the others.");
        meter.CreateObservableCounter("crosscore.core.calls", () => ObservePerCore(liveSets(), static c =>
            StatCounter.Read(ref c.SyncRun) + StatCounter.Read(ref c.AsyncRun) + StatCounter.Read(ref c.InlineRun) + StatCounter.Read(ref c.DeferredRun) + StatCounter.Read(ref c.TaskRun)),
            "{call}", "Requests each core ran: call functions, deferred work and task-context work.");
        meter.CreateObservableCounter("crosscore.core.lane_calls", () => ObservePerCore(liveSets(), static c => StatCounter.Read(ref c.LaneRun)),
            "{call}", "Waiting calls each core served through its sender lanes (a part of crosscore.core.calls, in no inbox batch).");
        meter.CreateObservableCounter("crosscore.core.batches", () => ObservePerCore(liveSets(), static c => StatCounter.Read(ref c.Batches)),
            "{batch}", "Inbox batches each core detached.");
        meter.CreateObservableCounter("crosscore.core.batch.entries", () => ObservePerCore(liveSets(), static c => StatCounter.Read(ref c.BatchEntries)),
            "{entry}", "Requests in the inbox batches each core detached (divided by crosscore.core.batches: the mean batch).");
        meter.CreateObservableCounter("crosscore.core.wakeups", () => ObserveWakeups(liveSets()), "{wakeup}",
            "Wake-up decisions for each core after a push onto its empty inbox: sent (it was parked) or avoided (it was polling).");
        meter.CreateObservableUpDownCounter("crosscore.core.stuck_calls", () => ObservePerCore(liveSets(), static c => c.StuckNow), "{call}",
            "Waits for each core currently stuck past the stuck-call timeout.");
    }

    private static KeyValuePair<string, object?> Set(string name) => new("set", name);

    private static KeyValuePair<string, object?> CoreId(int id) => new(CoreTag, id);

    /// <summary>Per (set name, core id) sums of <paramref name="value"/> over the live sets.</summary>
    private static IEnumerable<Measurement<long>> ObservePerCore(CoreSet[] sets, Func<CoreCounters, long> value)
    {
        var sums = new Dictionary<(string, int), long>();
        foreach (var set in sets)
        {
            foreach (var core in set.Cores)
            {
                var key = (set.Options.Name, core.Id);
                sums[key] = sums.GetValueOrDefault(key) + value(core.Counters);
            }
        }

        foreach (var ((name, id), sum) in sums)
        {
            yield return new Measurement<long>(sum, Set(name), CoreId(id));
        }
    }

    private static IEnumerable<Measurement<long>> ObserveWakeups(CoreSet[] sets)
    {
        var sums = new Dictionary<(string, int), (long Sent, long Avoided)>();
        foreach (var set in sets)
        {
            foreach (var core in set.Cores)
            {
                var key = (set.Options.Name, core.Id);
                var (sent, avoided) = sums.GetValueOrDefault(key);
                sums[key] = (sent + core.Counters.WakeupsSent, avoided + core.Counters.WakeupsAvoided);
            }
        }

        foreach (var ((name, id), (sent, avoided)) in sums)
        {
            yield return new Measurement<long>(sent, Set(name), CoreId(id), new("result", "sent"));
            yield return new Measurement<long>(avoided, Set(name), CoreId(id), new("result", "avoided"));
        }
    }

    /// <summary>One measurement per core and state: 1 for the state it is in, 0 for the others (the OpenTelemetry
    /// shape for a state, so a tool that sums per state counts cores in it). Summed per core id across same-named sets.</summary>
    private static IEnumerable<Measurement<long>> ObserveStates(CoreSet[] sets)
    {
        var counts = new Dictionary<(string, int), long[]>();
        foreach (var set in sets)
        {
            foreach (var core in set.Cores)
            {
                var key = (set.Options.Name, core.Id);
                if (!counts.TryGetValue(key, out var perState))
                {
                    counts[key] = perState = new long[s_states.Length];
                }

                perState[(int)core.State]++;
            }
        }

        foreach (var ((name, id), perState) in counts)
        {
            for (var s = 0; s < s_states.Length; s++)
            {
                yield return new Measurement<long>(perState[s], Set(name), CoreId(id), new(StateTag, s_states[s]));
            }
        }
    }
}
