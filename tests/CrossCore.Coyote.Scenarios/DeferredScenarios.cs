using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Deferred work (C7, O6, §5.3): claim while running, re-queue, runs on two cores, Sync.</summary>
public static class DeferredScenarios
{
    /// <summary>
    /// Two threads queue one work item, one on core 1 and one on core 2, each after writing its bit. Checks: a run
    /// happens only on a core it was queued to; runs equal Queued answers (exactly once, nothing lost: Dispose runs
    /// what was accepted); a Coalesced answer's write is seen by a run (O6; seed 2's bug loses it when the claim is
    /// made while the work runs: busy, not pending, must be Queued and run again).
    /// </summary>
    public static void QueueFromTwoThreadsToTwoCores()
    {
        var set = NewSet(3);
        var runs = 0;
        var written = 0;
        var seen = 0;
        var queuedTo = 0; // bit per core that got a Queued answer
        var work = new DeferredWork<int>(set, _ =>
        {
            var core = set.CurrentCore;
            Check(core is 1 or 2, $"the work ran on core {core}: it was queued only to cores 1 and 2");
            Interlocked.Increment(ref runs);
            seen |= Volatile.Read(ref written);
        }, 0, defaultCore: 1);

        var answers = new QueueResult[2];
        var threads = new Thread[2];
        for (var i = 0; i < 2; i++)
        {
            var me = i;
            threads[i] = Start(() =>
            {
                Interlocked.Or(ref written, 1 << me);
                answers[me] = work.QueueOn(1 + me);
                if (answers[me] == QueueResult.Queued)
                {
                    Interlocked.Or(ref queuedTo, 1 << (1 + me));
                }
            });
        }

        JoinAll(threads);
        set.Dispose();

        var queued = answers.Count(a => a == QueueResult.Queued);
        Check(queued >= 1, "neither queue of an idle work was accepted");
        Check(runs == queued, $"{queued} queues were accepted and the work ran {runs} times (exactly once per claim)");
        for (var i = 0; i < 2; i++)
        {
            if (answers[i] == QueueResult.Coalesced)
            {
                Check((seen & (1 << i)) != 0, $"thread {i}'s queue coalesced and no run saw its write (O6)");
            }
        }
    }

    /// <summary>
    /// A work whose function re-queues itself once (§5.2's deferred twin), raced by an outside queue. Checks: every
    /// accepted claim runs exactly once on core 1 and the outside caller's write is seen.
    /// </summary>
    public static void RequeueFromItsOwnFunction()
    {
        var set = NewSet(2);
        var runs = 0;
        var requeued = 0;
        var accepted = 1; // the first queue below
        var written = 0;
        var seen = 0;
        DeferredWork<int>? work = null;
        work = new DeferredWork<int>(set, _ =>
        {
            Check(set.CurrentCore == 1, $"the work ran on core {set.CurrentCore}, not 1");
            Interlocked.Increment(ref runs);
            seen |= Volatile.Read(ref written);
            if (Interlocked.Exchange(ref requeued, 1) == 0 && work!.Queue() == QueueResult.Queued)
            {
                Interlocked.Increment(ref accepted);
            }
        }, 0, defaultCore: 1);

        Check(work.QueueOn(1) == QueueResult.Queued, "the first queue of an idle work was not accepted");
        var outside = Start(() =>
        {
            Volatile.Write(ref written, 1);
            if (work.QueueOn(1) == QueueResult.Queued)
            {
                Interlocked.Increment(ref accepted);
            }
        });
        outside.Join();
        set.Dispose();
        Check(runs == accepted, $"{accepted} queues were accepted and the work ran {runs} times");
        Check(seen == 1, "the outside caller's write was seen by no run (Queued or Coalesced, a later run must see it)");
    }

    /// <summary>
    /// The exact Sync (C7): the work runs on core 1 and, claimed again while it runs, on core 2. A thread calls
    /// Sync once the first run has started. Check: when Sync returns, no run that had started before it still runs.
    /// </summary>
    public static void SyncWaitsForEveryRunStartedBeforeIt()
    {
        var set = NewSet(3);
        var started = new Counter();
        var finished = new int[8]; // finished[n] = 1 once run n (1-based, in start order) returned
        var work = new DeferredWork<int>(set, _ =>
        {
            var n = started.Increment();
            Thread.Yield(); // a run takes time: other threads may act while it runs
            Volatile.Write(ref finished[n], 1);
        }, 0, defaultCore: 1);

        work.QueueOn(1);
        var second = Start(() =>
        {
            WaitUntil(started.Reached(1)); // queue again once the first run has begun: C7's "claim while running"
            work.QueueOn(2);
        });
        var syncer = Start(() =>
        {
            WaitUntil(started.Reached(1));
            var before = started.Value; // runs 1..before started before Sync was called
            work.Sync();
            for (var n = 1; n <= before; n++)
            {
                Check(Volatile.Read(ref finished[n]) == 1, $"Sync returned while run {n}, started before it, still ran (C7: Sync is exact)");
            }
        });
        JoinAll(second, syncer);
        set.Dispose();
    }
    /// <summary>
    /// Sync's wake-up (C7, E5/E6's Dekker pair): the work runs once on core 1 and a thread calls Sync while it runs.
    /// The syncer registers, then re-reads Busy and parks; the runner clears Busy with its CAS, then reads the waiter
    /// count and wakes. Nobody else wakes the syncer (no polling, no stuck-call timer, the set is disposed only after it
    /// returned), so a runner that read the count before its CAS, saw none, and cleared Busy after the syncer's re-read
    /// leaves the syncer parked for good: Coyote reports the deadlock. Check: Sync returns only after the run ended.
    /// </summary>
    public static void SyncIsWokenWhenTheRunItWaitsForEnds()
    {
        var set = NewSet(2);
        var started = new Counter();
        var finished = 0;
        var work = new DeferredWork<int>(set, _ =>
        {
            started.Increment();
            Thread.Yield(); // a run takes time: the syncer may arrive while it runs
            Volatile.Write(ref finished, 1);
        }, 0, defaultCore: 1);

        Check(work.QueueOn(1) == QueueResult.Queued, "the first queue of an idle work was not accepted");
        var syncer = Start(() =>
        {
            WaitUntil(started.Reached(1));
            work.Sync();
            Check(Volatile.Read(ref finished) == 1, "Sync returned while the run it was called during still ran (C7)");
        });
        syncer.Join(); // before Dispose, which would wake a parked syncer and hide a lost wake-up
        set.Dispose();
    }
}
