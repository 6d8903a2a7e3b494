using System.Runtime.CompilerServices;
using CrossCore.Tests.Support;

namespace CrossCore.Tests.Lanes;

/// <summary>
/// Sender lanes (<c>CoreLanes</c>): a known sender's waiting calls skip the inbox. The contract of Invoke is the same
/// either way (C1, C6, C8, C9, O4); these tests check the lane's own rules: who gets one, what happens to a thread that
/// loses its lane, a dispose racing a lane call, and that turning lanes off sends everything through the inbox.
/// </summary>
public sealed class LaneTests
{
    private static int LanesHeld(CoreSet set, int core)
    {
        var lanes = set.GetCoreUnchecked(core).Lanes;
        var n = 0;
        for (var i = 0; i < CoreLanes.Count; i++)
        {
            n += lanes.Slot(i) is null ? 0 : 1;
        }

        return n;
    }

    [Fact]
    public void A_threads_waiting_calls_take_a_lane_and_keep_results_exceptions_and_writes_O4()
    {
        using var set = Sets.CreateWithLanes(2);
        var box = new StrongBox<long>();
        Wait.OnThread(() =>
        {
            for (var i = 1; i <= 1_000; i++)
            {
                var seen = set.Invoke(1, static b => ++b.Value, box); // written on core 1, read here (O4)
                Assert.Equal(i, seen);
                Assert.Equal(i, box.Value);
            }

            var thrown = Assert.Throws<InvalidOperationException>(() => set.Invoke(1, static () => throw new InvalidOperationException("on core 1")));
            Assert.Equal("on core 1", thrown.Message);
            Assert.Equal(1_001, set.Invoke(1, static b => ++b.Value, box)); // the exception left the lane usable
        });
        Assert.Equal(2, LanesHeld(set, 1)); // one per descriptor shape: Func<StrongBox<long>, long> and Action
        // A core counts a run after the release that let its caller return: join the cores (Dispose) so every count
        // is in before comparing.
        set.Dispose();
        Assert.Equal(1_002, set.GetStatistics().SyncCallsRun);
        Assert.Equal(0, set.GetStatistics().Batches); // not one of them went through the inbox
    }

    // A lane rewrites its armed function and state only when they change (LaneCall.TryPublish, so the core's copy of
    // their line stays valid): every call must still run its own function with its own state, whether it repeats the
    // last one or not, for a reference state, a value state and a state holding references.
    [Fact]
    public void A_lane_runs_each_call_with_its_own_function_and_state_when_they_repeat_and_when_they_change()
    {
        using var set = Sets.CreateWithLanes(2);
        Wait.OnThread(() =>
        {
            var a = new StrongBox<int>(1);
            var b = new StrongBox<int>(2);
            StrongBox<int>[] boxes = [a, a, b, b, a, b, a, a];
            foreach (var box in boxes)
            {
                Assert.Equal(box.Value, set.Invoke(1, static x => x.Value, box));
                Assert.Equal(-box.Value, set.Invoke(1, static x => -x.Value, box)); // same state, another function
            }

            long[] values = [5, 5, 6, 5, 7, 7, long.MaxValue, 0, 0];
            foreach (var v in values)
            {
                Assert.Equal(v, set.Invoke(1, static x => x, v));
            }

            (string Text, int N)[] pairs = [("x", 1), ("x", 1), ("y", 1), ("x", 2)];
            foreach (var p in pairs)
            {
                Assert.Equal($"{p.Text}{p.N}", set.Invoke(1, static q => $"{q.Text}{q.N}", p));
            }

            Assert.Equal(3, LanesHeld(set, 1)); // through lanes: one per pooled descriptor type, (TState, TResult)
        });
    }

    [Fact]
    public void More_senders_than_lanes_share_the_core_every_call_runs_once_and_the_lanes_fill_up()
    {
        using var set = Sets.CreateWithLanes(2);
        const int Senders = CoreLanes.Count + 2;
        const int Calls = 20_000;
        var runs = new long[Senders];
        var threads = Enumerable.Range(0, Senders).Select(s => new Thread(() =>
        {
            for (var i = 0; i < Calls; i++)
            {
                set.Invoke(1, static r => r.Runs[r.Sender]++, (Runs: runs, Sender: s)); // core 1 is the only writer
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(Wait.HangTimeout), "a sender hung");
        }

        Assert.All(runs, n => Assert.Equal(Calls, n));
        Assert.Equal(CoreLanes.Count, LanesHeld(set, 1));
        Assert.True(set.GetStatistics().Batches > 0, "the senders without a lane used the inbox");
    }

    [Fact]
    public void A_sender_idle_past_the_threshold_loses_its_lane_to_one_that_needs_it_and_its_next_call_still_runs_once()
    {
        using var set = Sets.CreateWithLanes(2);
        var count = new StrongBox<long>();
        var owners = Enumerable.Range(0, CoreLanes.Count).Select(_ => new Thread(() => set.Invoke(1, static c => c.Value++, count))).ToList();
        using var lastOwner = new BlockingOwner(set, count);
        owners[^1] = lastOwner.Thread;
        foreach (var t in owners)
        {
            t.Start();
        }

        foreach (var t in owners.Take(CoreLanes.Count - 1))
        {
            t.Join();
        }

        Wait.Until(() => lastOwner.FirstCallDone, "the last owner's first call");
        Assert.Equal(CoreLanes.Count, LanesHeld(set, 1));
        var slotsBefore = Enumerable.Range(0, CoreLanes.Count).Select(i => set.GetCoreUnchecked(1).Lanes.Slot(i)).ToArray();

        // A new sender finds every lane taken; it keeps calling (through the inbox) until an idle owner's lane is its own.
        var stole = false;
        Wait.OnThread(() =>
        {
            for (var i = 0; i < 20_000 && !stole; i++)
            {
                set.Invoke(1, static c => c.Value++, count);
                if ((i & 63) == 63)
                {
                    Thread.Sleep(2); // the owners stay idle; the thief looks again once per 64 calls
                }

                stole = Enumerable.Range(0, CoreLanes.Count).Any(s => set.GetCoreUnchecked(1).Lanes.Slot(s) is { } c && !slotsBefore.Contains(c));
            }
        });
        Assert.True(stole, "no idle lane was taken over");

        // The owner that is still alive calls again: if it lost its lane, its publish fails and the call goes through
        // the inbox; either way it runs exactly once.
        var before = count.Value;
        lastOwner.CallAgain();
        Assert.Equal(before + 1, count.Value);
    }

    [Fact]
    public void C9_lane_calls_racing_dispose_each_run_exactly_once_or_throw_ObjectDisposedException_without_running()
    {
        for (var round = 0; round < 200; round++)
        {
            var set = Sets.CreateWithLanes(2, poll: round % 2 == 0 ? TimeSpan.Zero : null);
            var ran = new StrongBox<long>();
            long returned = 0, refused = 0;
            var caller = new Thread(() =>
            {
                while (true)
                {
                    try
                    {
                        set.Invoke(1, static r => r.Value++, ran);
                        returned++;
                    }
                    catch (ObjectDisposedException)
                    {
                        refused++;
                        return;
                    }
                }
            });
            caller.Start();
            Wait.Until(() => Volatile.Read(ref ran.Value) > round % 7, "the caller to be running");
            set.Dispose();
            Assert.True(caller.Join(Wait.HangTimeout), $"round {round}: a lane call racing dispose never returned");
            Assert.Equal(1, refused);
            Assert.Equal(returned, ran.Value); // every call that returned ran once; the refused one did not run
        }
    }

    [Fact]
    public void C8_lane_calls_racing_Offline_and_Online_run_exactly_once_or_are_refused_without_running()
    {
        using var set = Sets.CreateWithLanes(3);
        var ran = new StrongBox<long>();
        long returned = 0;
        var stop = 0;
        var caller = new Thread(() =>
        {
            while (Volatile.Read(ref stop) == 0)
            {
                try
                {
                    set.Invoke(1, static r => r.Value++, ran);
                    returned++;
                }
                catch (CoreOfflineException)
                {
                }
            }
        });
        caller.Start();
        for (var i = 0; i < 300; i++)
        {
            set.TakeOffline(1);
            set.BringOnline(1);
        }

        Volatile.Write(ref stop, 1);
        Assert.True(caller.Join(Wait.HangTimeout), "a lane call racing Offline hung");
        Assert.Equal(returned, ran.Value); // every call that returned ran exactly once; a refused one did not run
    }

    [Theory]
    [InlineData("4", 4)]
    [InlineData(" 2 ", 2)]
    [InlineData(3, 3)]
    [InlineData("9", CoreLanes.Count)]
    [InlineData("-1", 0)]
    [InlineData("0", 0)]
    [InlineData("four", CoreLanes.Count)]
    [InlineData(null, CoreLanes.Count)]
    public void The_AppContext_switch_CrossCore_SenderLaneCount_reads_as_a_clamped_count(object? data, int lanes) =>
        Assert.Equal(lanes, CoreSetOptions.ParseSenderLaneCount(data));

    [Fact]
    public void Lanes_are_on_by_default_and_their_calls_are_counted_apart_from_the_inbox_batches()
    {
        Assert.Equal(CoreLanes.Count, new CoreSetOptions().SenderLaneCount);
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, OnStuckCall = static _ => { }, Name = "test default lanes" });
        Assert.True(set.GetCoreUnchecked(1).Lanes.Enabled);
        var box = new StrongBox<long>();
        var before = set.GetStatistics();
        Wait.OnThread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                set.Invoke(1, static b => b.Value++, box);
            }
        });
        Assert.Equal(500, box.Value);
        Assert.Equal(1, LanesHeld(set, 1));
        set.Dispose(); // every run counted (a core counts a run after its release)
        var after = set.GetStatistics();
        Assert.Equal(500, after.LaneCallsRun - before.LaneCallsRun); // the thread's first call took the free lane
        Assert.Equal(500, after.SyncCallsRun - before.SyncCallsRun); // lane calls are sync calls too
        Assert.Equal(before.Batches, after.Batches); // ... in no inbox batch
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(CoreLanes.Count + 1)]
    public void A_lane_count_out_of_0_to_4_is_refused_naming_the_option(int lanes)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new CoreSet(new CoreSetOptions { CoreCount = 1, SenderLaneCount = lanes }));
        Assert.Equal(nameof(CoreSetOptions.SenderLaneCount), error.ParamName);
    }

    [Fact]
    public void With_lanes_off_every_waiting_call_goes_through_the_inbox()
    {
        using var set = Sets.CreateWithLanes(2, senderLanes: 0);
        var box = new StrongBox<long>();
        Wait.OnThread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                set.Invoke(1, static b => b.Value++, box);
            }
        });
        Assert.Equal(500, box.Value);
        Assert.Equal(0, LanesHeld(set, 1));
        Assert.True(set.GetStatistics().Batches > 0);
        Assert.Equal(0, set.GetStatistics().LaneCallsRun);
        Assert.False(set.GetCoreUnchecked(1).Lanes.Enabled);
    }

    /// <summary>A lane owner that makes one call, then waits (alive, idle) until asked for one more.</summary>
    private sealed class BlockingOwner : IDisposable
    {
        private readonly ManualResetEventSlim _again = new();
        private readonly ManualResetEventSlim _done = new();
        private volatile bool _firstCallDone;

        public BlockingOwner(CoreSet set, StrongBox<long> count) => Thread = new Thread(() =>
        {
            set.Invoke(1, static c => c.Value++, count);
            _firstCallDone = true;
            _again.Wait();
            set.Invoke(1, static c => c.Value++, count);
            _done.Set();
        });

        public Thread Thread { get; }

        public bool FirstCallDone => _firstCallDone;

        public void Dispose()
        {
            _again.Dispose();
            _done.Dispose();
        }

        public void CallAgain()
        {
            _again.Set();
            Assert.True(_done.Wait(Wait.HangTimeout), "the lane owner's call after losing its lane hung");
        }
    }
}
