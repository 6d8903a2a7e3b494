using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Sender lanes (the core polls a known sender's descriptor; CoreLanes): C9 and the park handshake O7.</summary>
public static class LaneScenarios
{
    /// <summary>
    /// A thread makes waiting calls to core 1 (the first one takes a lane, so they all go through it) while another
    /// disposes the set. Checks (C9): every call returns, with its function run exactly once, or throws
    /// ObjectDisposedException without running it; nothing hangs. The close of the lanes decides between the core's
    /// last scans and the owner's take-back: a call both ran (twice) or neither ran (a hang) is the bug.
    /// </summary>
    public static void LaneCallsRacingDispose()
    {
        var set = NewSetWithLanes(2);
        var runs = new int[3];
        var returned = new bool[3];
        var caller = Start(() =>
        {
            for (var i = 0; i < 3; i++)
            {
                try
                {
                    set.Invoke(1, static r => Interlocked.Increment(ref r.Runs[r.Index]), (Runs: runs, Index: i));
                    returned[i] = true;
                }
                catch (ObjectDisposedException)
                {
                    return;
                }
            }
        });
        var disposer = Start(set.Dispose);
        JoinAll(caller, disposer);
        for (var i = 0; i < 3; i++)
        {
            Check(runs[i] == (returned[i] ? 1 : 0), $"call {i} {(returned[i] ? "returned" : "was refused")} and ran {runs[i]} times");
        }
    }

    /// <summary>
    /// Two threads make waiting calls to a parking core (poll duration zero): each call is a fresh lane request that
    /// the core must see either in its park re-check or through the wake-up its sender owes it (O7). Checks: every
    /// call returns with its function run once; a lost wake-up is a deadlock Coyote reports.
    /// </summary>
    public static void LaneCallsToAParkingCore()
    {
        var set = NewSetWithLanes(2);
        var runs = 0;
        var functionRuns = new int[1];
        var callers = Enumerable.Range(0, 2).Select(_ => Start(() =>
        {
            for (var i = 0; i < 2; i++)
            {
                set.Invoke(1, static () => { }); // the lane
                set.Invoke(1, static r => Interlocked.Increment(ref r[0]), functionRuns); // a second lane (another shape)
                Interlocked.Increment(ref runs);
            }
        })).ToArray();
        JoinAll(callers);
        set.Dispose();
        Check(runs == 4 && functionRuns[0] == 4, $"{runs} of 4 rounds returned, the counting function ran {functionRuns[0]} times");
    }
}
