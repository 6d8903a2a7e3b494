using CrossCore.Tests.Support;

namespace CrossCore.Tests.Deferred;

/// <summary>C7, O5, O6, §5.2, §5.7: deferred work (the kernel's irq_work).</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class DeferredWorkTests
{
    private sealed class Probe
    {
        public int Runs;
        public int Datum;
        public int LastSeen;
        public int RanOn = -1;
        public Gate? Gate;
    }

    private static DeferredWork<Probe> Work(CoreSet set, Probe probe, DeferredWorkOptions options = DeferredWorkOptions.None, int defaultCore = 0) =>
        new(set, static p =>
        {
            p.LastSeen = Volatile.Read(ref p.Datum);
            p.RanOn = CoreContext.CurrentCore?.Id ?? -1;
            Interlocked.Increment(ref p.Runs);
            var gate = p.Gate;
            if (gate is not null)
            {
                p.Gate = null; // hold only the first run
                gate.Hold();
            }
        }, probe, options, defaultCore);

    [Fact]
    public void C7_K_queues_while_pending_coalesce_into_one_run_and_K_minus_1_falses()
    {
        using var set = Sets.Create(2);
        var probe = new Probe();
        var work = Work(set, probe);
        using var gate = Gate.BlockCore(set, 1); // the work stays pending behind the gate
        var results = Enumerable.Range(0, 100).Select(i =>
        {
            probe.Datum = i;
            return work.QueueOn(1);
        }).ToList();
        Assert.Equal(QueueResult.Queued, results[0]);
        Assert.All(results.Skip(1), r => Assert.Equal(QueueResult.Coalesced, r));
        Assert.True(work.IsPending);
        gate.Open();
        work.Sync();
        Assert.Equal(1, probe.Runs);
        Assert.Equal(99, probe.LastSeen); // O6: the coalesced writes are seen by the pending run
        Assert.Equal(1, probe.RanOn);
        Assert.Equal(99, set.GetStatistics().CoalescedQueues);
    }

    [Fact]
    public void C7_seed_2_a_queue_while_the_function_runs_succeeds_and_the_second_run_sees_the_new_datum()
    {
        var (runs, seen, second) = ReplaySeed2();
        Assert.Equal(QueueResult.Queued, second); // busy, not pending: the claim succeeds (the 2012 fix)
        Assert.Equal(2, runs);
        Assert.Equal(2, seen);
    }

    [Fact]
    public void C7_seed_2_replay_fails_with_the_pre_fix_claim()
    {
        FaultInjection.RacyDeferredClaim = true;
        try
        {
            var (runs, seen, second) = ReplaySeed2();
            Assert.Equal(QueueResult.Coalesced, second); // the pre-fix claim reads Busy and gives up ...
            Assert.Equal(1, runs);                       // ... so the request is lost:
            Assert.NotEqual(2, seen);                    // nobody ever sees datum 2
        }
        finally
        {
            FaultInjection.Reset();
        }
    }

    /// <summary>Blocks the first run mid-function, queues again with a new datum, releases: the kernel's seed scenario.</summary>
    private static (int Runs, int LastSeen, QueueResult Second) ReplaySeed2()
    {
        using var set = Sets.Create(2);
        using var gate = new Gate();
        var probe = new Probe { Gate = gate, Datum = 1 };
        var work = Work(set, probe);
        Assert.Equal(QueueResult.Queued, work.QueueOn(1));
        Wait.Until(() => gate.Entered, "the first run to start");
        Assert.True(work.IsBusy);
        Assert.False(work.IsPending);
        probe.Datum = 2;
        var second = work.QueueOn(1);
        gate.Open();
        Wait.Until(() => !work.IsBusy, "the work to finish");
        set.Invoke(1, static _ => { }, 0);
        return (probe.Runs, probe.LastSeen, second);
    }

    [Fact]
    public void C7_O6_concurrent_producers_never_lose_the_last_trigger_over_a_million_attempts()
    {
        const int Producers = 2;
        const int PerProducer = 500_000;
        using var set = Sets.Create(2, poll: TimeSpan.FromMicroseconds(5));
        var written = new int[Producers * 16];
        var seen = new int[Producers * 16];
        var work = new DeferredWork<(int[] Written, int[] Seen)>(set, static s =>
        {
            for (var p = 0; p < Producers; p++)
            {
                var v = Volatile.Read(ref s.Written[p * 16]);
                if (v > s.Seen[p * 16])
                {
                    s.Seen[p * 16] = v;
                }
            }
        }, (written, seen));
        long queued = 0;
        var threads = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            long mine = 0;
            for (var i = 1; i <= PerProducer; i++)
            {
                written[p * 16] = i; // plain store; the claim's Interlocked.Or is the fence (O6)
                if (work.QueueOn(i & 1) == QueueResult.Queued)
                {
                    mine++;
                }
            }

            Interlocked.Add(ref queued, mine);
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(Wait.HangTimeout));
        }

        work.Sync();
        for (var p = 0; p < Producers; p++)
        {
            Assert.Equal(PerProducer, seen[p * 16]); // the last datum written before a queue attempt was seen
        }

        Assert.True(queued < 2L * PerProducer, "nothing coalesced: the test did not race");
        // A core counts a run after the run has ended, i.e. after the Busy clear that is all Sync() waits for: join
        // the cores (Dispose) so every count is in before comparing.
        set.Dispose();
        Assert.Equal(queued, set.GetStatistics().DeferredRuns); // one run per Queued answer
    }

    [Fact]
    public void C7_Sync_waits_for_a_running_function_and_returns_at_once_when_idle()
    {
        using var set = Sets.Create(2);
        using var gate = new Gate();
        var probe = new Probe { Gate = gate };
        var work = Work(set, probe);
        work.Sync(); // idle: immediate
        Assert.Equal(QueueResult.Queued, work.QueueOn(1));
        Wait.Until(() => gate.Entered);
        var returned = false;
        var syncer = new Thread(() =>
        {
            work.Sync();
            Volatile.Write(ref returned, true);
        });
        syncer.Start();
        Thread.Sleep(20); // a broken Sync would return now (can only make a bug pass by luck, never a fix fail)
        Assert.False(Volatile.Read(ref returned));
        gate.Open();
        Assert.True(syncer.Join(Wait.HangTimeout), "Sync was not woken by the runner");
        Assert.False(work.IsBusy);
        Assert.Equal(1, probe.Runs);
    }

    [Fact]
    public void C7_Sync_on_a_core_runs_work_queued_on_its_own_lists_instead_of_waiting_for_itself()
    {
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        var probe = new Probe();
        var lazy = Work(set, probe, DeferredWorkOptions.Lazy);
        var t = set.RunAsync(1, () =>
        {
            Assert.Equal(QueueResult.Queued, lazy.Queue()); // local, lazy: waits for a tick that cannot come while we wait
            lazy.Sync();
            return probe.Runs;
        });
        Wait.For(t, "Sync from the core that holds the work");
        Assert.Equal(1, t.Result);
    }

    [Fact]
    public void C7_Queue_runs_on_the_callers_core_and_from_outside_on_the_default_core()
    {
        using var set = Sets.Create(3);
        var probe = new Probe();
        var work = Work(set, probe, defaultCore: 2);
        Assert.Equal(QueueResult.Queued, work.Queue());
        work.Sync();
        Assert.Equal(2, probe.RanOn);
        Wait.For(set.RunAsync(1, () => Assert.Equal(QueueResult.Queued, work.Queue())));
        work.Sync();
        Assert.Equal(1, probe.RanOn);
    }

    [Fact]
    public void C7_immediate_work_queued_from_task_context_runs_before_Queue_returns()
    {
        using var set = Sets.Create(2);
        var probe = new Probe();
        var work = Work(set, probe, DeferredWorkOptions.Immediate);
        var t = set.RunAsync(1, () =>
        {
            work.Queue();
            return probe.Runs;
        });
        Wait.For(t);
        Assert.Equal(1, t.Result);
        Assert.Throws<ArgumentException>(() => new DeferredWork<int>(set, _ => { }, 0, DeferredWorkOptions.Lazy | DeferredWorkOptions.Immediate));
    }

    [Fact]
    public void Section5_7_lazy_work_waits_for_the_tick_not_for_the_next_loop_pass()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, TickPeriod = TimeSpan.FromHours(1), OnStuckCall = static _ => { } });
        var probe = new Probe();
        var lazy = Work(set, probe, DeferredWorkOptions.Lazy);
        Wait.For(set.RunAsync(1, () => lazy.Queue()));
        for (var i = 0; i < 1000; i++)
        {
            set.Invoke(1, static _ => { }, 0); // the core runs many loop passes
        }

        Assert.Equal(0, probe.Runs); // still waiting for its tick
        Assert.True(lazy.IsPending);
        set.TakeOffline(1);              // ... and nothing is lost: offline drains lazy work too
        Assert.Equal(1, probe.Runs);
    }

    [Fact]
    public void Section5_7_a_parked_core_with_lazy_work_keeps_its_tick_and_runs_it()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, PollDuration = TimeSpan.Zero, TickPeriod = TimeSpan.FromMilliseconds(4), OnStuckCall = static _ => { } });
        var probe = new Probe();
        var lazy = Work(set, probe, DeferredWorkOptions.Lazy);
        Wait.For(set.RunAsync(1, () => lazy.Queue()));
        // No other traffic: the core parks, and only its tick can run the work.
        Wait.Until(() => Volatile.Read(ref probe.Runs) == 1, "the lazy work to run at the tick");
        Assert.Equal(1, probe.RanOn);
    }

    [Fact]
    public void C7_QueueOn_an_offline_core_answers_Offline_and_claims_nothing()
    {
        using var set = Sets.Create(2);
        var probe = new Probe();
        var work = Work(set, probe);
        set.TakeOffline(1);
        Assert.Equal(QueueResult.Offline, work.QueueOn(1));
        Assert.False(work.IsBusy);
        Assert.False(work.IsPending);
        Assert.Throws<ArgumentOutOfRangeException>(() => work.QueueOn(2));
    }

    [Fact]
    public void C7_an_offline_core_answers_Offline_to_its_own_local_queue_too()
    {
        using var set = Sets.Create(2);
        var probe = new Probe();
        var work = Work(set, probe);
        var result = set.RunAsync(1, () =>
        {
            set.TakeOffline(1); // Pending: this task item goes on running on the now-offline core
            return (local: work.Queue(), on: work.QueueOn(1));
        });
        Wait.For(result);
        Assert.Equal((QueueResult.Offline, QueueResult.Offline), result.Result);
        Assert.False(work.IsBusy);
    }

    [Fact]
    public void Section5_2_work_may_requeue_itself_from_its_own_function()
    {
        using var set = Sets.Create(2);
        var state = new Self();
        state.Work = new DeferredWork<Self>(set, static s =>
        {
            if (++s.Runs < 100)
            {
                Assert.Equal(QueueResult.Queued, s.Work!.QueueOn(s.Runs % 2)); // busy, not pending: claim succeeds
            }
        }, state);
        state.Work.QueueOn(0);
        Wait.Until(() => Volatile.Read(ref state.Runs) == 100 && !state.Work.IsBusy);
        Assert.Equal(100, state.Runs);
    }

    private sealed class Self
    {
        public DeferredWork<Self>? Work;
        public int Runs;
    }
}
