using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Inbox push, poll/park and wake-up with several senders (O3, O7, §5.3), and waiting calls (O4).</summary>
public static class InboxScenarios
{
    /// <summary>
    /// Three senders push to core 1 (a waiting call, a no-wait call, an async descriptor), while core 1 parks as soon
    /// as it has nothing to do. The test thread then waits for every run without sending anything itself: a lost
    /// wake-up leaves core 1 parked with work in its inbox, which Coyote reports as a deadlock. Checks: every request
    /// runs once, on core 1; a waiting call returns only after its function ran (its write is visible).
    /// </summary>
    public static void ThreeSendersToAParkingCore()
    {
        var set = NewSet(2);
        var runs = new Counter();
        var descriptor = new CallDescriptor<Counter>(c =>
        {
            Check(set.CurrentCore == 1, $"an async call ran on core {set.CurrentCore}, not 1");
            c.Increment();
        }, runs);

        var waited = 0;
        var a = Start(() =>
        {
            set.Invoke(1, () =>
            {
                Check(set.CurrentCore == 1, $"a waiting call ran on core {set.CurrentCore}, not 1");
                Volatile.Write(ref waited, 1);
                runs.Increment();
            });
            Check(Volatile.Read(ref waited) == 1, "a waiting call returned before its function ran (O4)");
        });
        var b = Start(() => set.Post(1, () =>
        {
            Check(set.CurrentCore == 1, $"a no-wait call ran on core {set.CurrentCore}, not 1");
            runs.Increment();
        }));
        var c = Start(() => Check(set.TryPost(1, descriptor) == CallResult.Ok, "a free descriptor was not queued"));
        JoinAll(a, b, c);
        WaitUntil(runs.Reached(3)); // no help: only the senders' own wake-ups can get these run
        Check(runs.Value == 3, $"3 requests were accepted and {runs.Value} ran");
        set.Dispose();
    }
}
