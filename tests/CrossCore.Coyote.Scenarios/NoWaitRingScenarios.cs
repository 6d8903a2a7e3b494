using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>The ring of posting descriptors per sender and core (C1, C13): slot claim against the core's release.</summary>
public static class NoWaitRingScenarios
{
    /// <summary>
    /// One outside thread posts five calls to core 1 through a ring of two, while core 1 parks as soon as it has
    /// nothing to do and the sender parks at once when it finds its slot queued (no polling). The sender thus claims
    /// each slot against the core's release of it (O1 against O4), and waits for the oldest while the younger slot's
    /// release also wakes it. Checks: no post is lost or run twice (a slot re-armed while queued would be pushed twice
    /// or throw); the five run in the order posted; a waiting sender is woken by its slot's release (a lost wake-up is
    /// a deadlock Coyote reports: nothing else wakes it).
    /// </summary>
    public static void SenderLappingItsRingOnAParkingCore()
    {
        const int Posts = 5;
        var set = NewSet(2, onFunctionException: null, noWaitRing: 2);
        var runs = new Counter();
        var order = new int[Posts];
        var sender = Start(() =>
        {
            for (var i = 0; i < Posts; i++)
            {
                set.Post(1, static s =>
                {
                    Check(s.set.CurrentCore == 1, $"post {s.i} ran on core {s.set.CurrentCore}, not 1");
                    var n = s.runs.Increment();
                    if (n <= s.order.Length)
                    {
                        s.order[n - 1] = s.i; // single writer: core 1
                    }
                }, (set, runs, order, i));
            }
        });
        sender.Join(); // the sender returns only if every wait for a slot was ended by that slot's release
        WaitUntil(runs.Reached(Posts)); // no help: only the sender's pushes and wake-ups get these run
        Check(runs.Value == Posts, $"{Posts} posts were accepted and {runs.Value} ran");
        Check(order.SequenceEqual(Enumerable.Range(0, Posts)), $"one sender's posts to one core ran as {string.Join(',', order)}");
        set.Dispose();
    }
}
