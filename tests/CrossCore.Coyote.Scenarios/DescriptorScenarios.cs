using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Caller-owned descriptors (C2, O1, O4, §5.3): claim, release and Busy raced by several threads.</summary>
public static class DescriptorScenarios
{
    /// <summary>
    /// Three threads outside the set race <c>TryPost</c> on one free descriptor aimed at core 1. Each writes its
    /// bit before its attempt. Checks: every run is on core 1; the number of runs equals the number of Ok answers
    /// (exactly once, nothing stranded: the set's Dispose runs everything accepted); never more runs than attempts;
    /// a Busy answer's write is seen by a run (O4: the run that follows the Busy answer sees it).
    /// </summary>
    public static void ThreeRacersOnOneDescriptor()
    {
        const int racers = 3;
        var set = NewSet(2);
        var runs = 0;
        var written = 0;
        var seenByARun = 0;
        var descriptor = new CallDescriptor<int>(
            _ =>
            {
                Check(set.CurrentCore == 1, $"the descriptor ran on core {set.CurrentCore}, not on its target 1");
                var n = Interlocked.Increment(ref runs);
                Check(n <= racers, $"run {n} of a descriptor queued by {racers} attempts: a claim was granted twice");
                seenByARun |= Volatile.Read(ref written);
            },
            0);

        var answers = new CallResult[racers];
        var threads = new Thread[racers];
        for (var i = 0; i < racers; i++)
        {
            var me = i;
            threads[i] = Start(() =>
            {
                Interlocked.Or(ref written, 1 << me); // the caller's write before its attempt
                answers[me] = set.TryPost(1, descriptor);
            });
        }

        JoinAll(threads);
        set.Dispose(); // runs everything accepted (C9)

        var oks = answers.Count(a => a == CallResult.Ok);
        Check(oks >= 1, "no racer queued a free descriptor");
        Check(runs == oks, $"{oks} attempts were accepted and {runs} runs happened (exactly once, §5.3)");
        for (var i = 0; i < racers; i++)
        {
            if (answers[i] == CallResult.Busy)
            {
                Check((seenByARun & (1 << i)) != 0, $"racer {i} was answered Busy and no later run saw its write (O4)");
            }
        }
    }
}
