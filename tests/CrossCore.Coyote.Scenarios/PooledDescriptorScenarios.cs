using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>The internal pooled descriptors (C13): never re-armed while queued.</summary>
public static class PooledDescriptorScenarios
{
    /// <summary>
    /// OnEachCore whose condition throws for core 2, after the call to core 1 was queued; the same thread then makes
    /// a waiting call to core 1 (which takes the same pooled descriptor). Checks (§6, C13): the throw leaves nothing
    /// in flight, so each function runs at most once per queue and the waiting call returns after its own function
    /// ran exactly once; nothing hangs.
    /// </summary>
    public static void ThrowingConditionThenAWaitingCall()
    {
        var set = NewSet(3);
        var eachRuns = new int[3];
        var laterRuns = 0;
        var caller = Start(() =>
        {
            try
            {
                set.InvokeOnEach<int>(null, (core, _) => core == 2 ? throw new InvalidOperationException("condition") : true,
                    (_, _) => Check(Interlocked.Increment(ref eachRuns[set.CurrentCore]) == 1, $"OnEachCore's function ran twice on core {set.CurrentCore}"), 0);
                Check(false, "OnEachCore did not re-throw its condition's exception");
            }
            catch (InvalidOperationException)
            {
                // re-thrown to the caller (§6)
            }

            // State type int, as InvokeOnEach's above: the same pooled descriptor for core 1 (CallPool<int, VoidResult>.Sync(1)).
            set.Invoke<int>(1, _ => Check(Interlocked.Increment(ref laterRuns) == 1, "the waiting call's function ran twice"), 0);
            Check(Volatile.Read(ref laterRuns) == 1, "the waiting call returned before its function ran");
        });
        caller.Join();
        set.Dispose();
        Check(eachRuns.All(n => n <= 1) && eachRuns[2] == 0 && laterRuns == 1,
            $"runs: OnEachCore's {string.Join('/', eachRuns)} on cores 0/1/2, the later call's {laterRuns}");
    }
}
