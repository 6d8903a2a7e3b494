using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Waiting calls between cores in task context (O8), and many-calls with conditions (C3).</summary>
public static class TaskContextScenarios
{
    /// <summary>
    /// Core 0 and core 1, each in task context, call the other synchronously at the same time. Check: both calls
    /// complete (a core that waits keeps serving its inbox, O8; otherwise Coyote reports the deadlock), each ran on
    /// its target.
    /// </summary>
    public static void TwoCoresCallEachOtherSynchronously()
    {
        var set = NewSet(2);
        var done = new Counter();
        for (var i = 0; i < 2; i++)
        {
            var me = i;
            var other = 1 - i;
            set.RunAsync(me, () =>
            {
                var ran = 0;
                set.Invoke(other, () =>
                {
                    Check(set.CurrentCore == other, $"core {me}'s call ran on core {set.CurrentCore}, not {other}");
                    ran = 1;
                });
                Check(ran == 1, $"core {me}'s waiting call returned before its function ran");
                done.Increment();
            });
        }

        WaitUntil(done.Reached(2));
        set.Dispose();
    }

    /// <summary>
    /// From core 0's task context, OnEachCore with a condition that leaves core 2 out, while an outside thread runs
    /// CallMany on every core. Checks: each function runs exactly once on each core it should (the caller's own share
    /// inline, C3), never on a filtered or excluded core; the condition runs on the calling thread.
    /// </summary>
    public static void ManyCallsWithAConditionRaceACallMany()
    {
        var set = NewSet(3);
        var eachRuns = new int[3];
        var manyRuns = new int[3];
        var done = new Counter();
        set.RunAsync(0, () =>
        {
            set.InvokeOnEach<int>(null, (core, _) =>
            {
                Check(set.CurrentCore == 0, "OnEachCore's condition ran off the calling thread");
                return core != 2;
            }, (_, _) => Interlocked.Increment(ref eachRuns[set.CurrentCore]), 0);
            Check(eachRuns[0] == 1 && eachRuns[1] == 1 && eachRuns[2] == 0,
                $"OnEachCore ran {eachRuns[0]}/{eachRuns[1]}/{eachRuns[2]} times on cores 0/1/2 (want 1/1/0)");
            done.Increment();
        });
        var outside = Start(() =>
        {
            set.InvokeMany<int>(null, (_, _) => Interlocked.Increment(ref manyRuns[set.CurrentCore]), 0);
            Check(manyRuns.All(n => n == 1), $"CallMany ran {string.Join('/', manyRuns)} times on cores 0/1/2 (want 1/1/1)");
        });
        outside.Join();
        WaitUntil(done.Reached(1));
        set.Dispose();
    }
}
