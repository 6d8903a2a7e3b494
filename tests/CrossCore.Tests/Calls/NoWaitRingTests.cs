using System.Collections.Concurrent;
using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>
/// C1 with a ring of posting descriptors per sender and target core: a post waits only when the sender's whole ring
/// is still queued, and then only for its own slot (the post made ring-size posts earlier); one thread's posts run
/// once each, in order; offline refuses a new post at once and runs every accepted one; tasks on one core share its
/// thread's ring. The target is held in gates, so what is queued and what has run is known at every step.
/// </summary>
public sealed class NoWaitRingTests
{
    /// <summary>A post's state: which post it is, where it records its run, and an optional gate it holds the core in.</summary>
    private sealed class Item(int index, RunLog log, Gate? hold = null)
    {
        public int Index { get; } = index;

        public void Run()
        {
            log.Record(Index);
            hold?.Hold();
        }

        public override string ToString() => $"item {Index}";
    }

    /// <summary>What ran, in the order the target core ran it (single writer: that core).</summary>
    private sealed class RunLog(int size)
    {
        private readonly int[] _runs = new int[size];
        private readonly ConcurrentQueue<int> _order = new();

        public int Runs(int index) => Volatile.Read(ref _runs[index]); // acquire; pairs with the Interlocked.Increment in Record

        public int[] Order => [.. _order];

        public void Record(int index)
        {
            Interlocked.Increment(ref _runs[index]); // full fence; pairs with the acquire in Runs
            _order.Enqueue(index);
        }

        public void AssertEachRanOnceInOrder(int count)
        {
            Assert.Equal(Enumerable.Repeat(1, count), _runs.Take(count));
            Assert.Equal(Enumerable.Range(0, count), Order);
        }
    }

    /// <summary>A sending thread whose exception is kept for the test (background: a failed test never hangs the run on it).</summary>
    private sealed class Sender
    {
        private readonly Thread _thread;
        private Exception? _error;

        public Sender(Action body)
        {
            _thread = new Thread(() =>
            {
                try
                {
                    body();
                }
                catch (Exception ex)
                {
                    _error = ex;
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        public int ThreadId => _thread.ManagedThreadId;

        public void Join(string what)
        {
            Assert.True(_thread.Join(Wait.HangTimeout), $"Hang: {what} never finished");
            if (_error is not null)
            {
                throw new Xunit.Sdk.XunitException($"{what} threw: {_error}");
            }
        }
    }

    /// <summary>Opens the gates whatever happened: a failed check must not leave core 1 held (Dispose would wait for it).</summary>
    private static void OpenAll(params Gate[] gates)
    {
        foreach (var gate in gates)
        {
            gate.Open();
        }
    }

    private static CoreSet RingSet(int ring, ConcurrentQueue<StuckCallReport> reports, int cores = 2)
    {
        var options = new CoreSetOptions
        {
            CoreCount = cores,
            PollDuration = TimeSpan.FromMicroseconds(50),
            StuckCallTimeout = TimeSpan.FromMilliseconds(20), // a waiting sender reports which slot it waits for
            OnStuckCall = reports.Enqueue,
            Name = "ring",
        };
        options.NoWaitRingSize = ring;
        return new CoreSet(options);
    }

    /// <summary>The report of a sender waiting for the slot that holds <paramref name="index"/>, once it has parked.</summary>
    private static StuckCallReport WaitForReport(ConcurrentQueue<StuckCallReport> reports, int index, string who)
    {
        StuckCallReport? found = null;
        Wait.Until(() => (found = reports.FirstOrDefault(r => !r.IsUnstuck && r.State is Item { } item && item.Index == index)) is not null,
            $"{who} waiting for the slot of item {index}");
        return found!;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(8)]
    public void A_sender_waits_only_when_its_whole_ring_is_queued_and_then_only_for_its_oldest_slot(int ring)
    {
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = RingSet(ring, reports);
        var log = new RunLog(ring + 2);
        using var outer = Gate.BlockCore(set, 1); // core 1 runs nothing else until this opens: what is posted stays queued
        using var inner = new Gate();
        try
        {
            var posted = 0;
            var sender = new Sender(() =>
            {
                for (var i = 0; i < ring + 2; i++)
                {
                    // Item 0 holds core 1 in the inner gate once it runs: its slot is released (O4), the others stay queued.
                    set.Post(1, static item => item.Run(), new Item(i, log, i == 0 ? inner : null));
                    Volatile.Write(ref posted, i + 1); // release; pairs with the test thread's acquire reads
                }
            });

            // The whole ring is posted without a wait: core 1 is held, none of these has been dequeued.
            Wait.Until(() => Volatile.Read(ref posted) >= ring, $"{ring} posts into a ring of {ring} returning while the target is held");

            // Post #ring (N+1 in flight) waits, for the slot of item 0 (the oldest), as the sender's stuck report says.
            var first = WaitForReport(reports, 0, "post #ring");
            Assert.Equal(1, first.TargetCore);
            Assert.Equal(-1, first.WaitingCore);
            Assert.Equal(sender.ThreadId, first.WaitingThreadId);
            Assert.Equal(ring, Volatile.Read(ref posted)); // item 0 cannot have been dequeued: core 1 is still in the outer gate

            // Core 1 dequeues item 0 (releasing its slot) and stops inside it: the waiting post returns, though items
            // 1 .. ring-1 are all still queued (it waited for its own slot only).
            outer.Open();
            Wait.Until(() => Volatile.Read(ref posted) >= ring + 1, "post #ring returning once item 0's slot was released");
            // The slot is released before item 0's function runs (O4), so the post may return before the run is logged.
            Wait.Until(() => log.Runs(0) == 1, "item 0 running on core 1 (then held in the inner gate)");
            for (var i = 1; i <= ring; i++)
            {
                Assert.Equal(0, log.Runs(i)); // core 1 is inside item 0: nothing after it has run
            }

            // The next post reuses the slot of item 1 (for ring 1, the slot now holding item 1): still queued, so it waits.
            WaitForReport(reports, 1, "post #ring+1");
            Assert.Equal(ring + 1, Volatile.Read(ref posted));

            inner.Open();
            sender.Join("the sender");
            Wait.Until(() => log.Runs(ring + 1) == 1, "the last post running");
            log.AssertEachRanOnceInOrder(ring + 2);
        }
        finally
        {
            OpenAll(outer, inner);
        }
    }

    [Fact]
    public void Offline_refuses_a_post_at_once_even_with_the_ring_full_and_runs_every_accepted_one()
    {
        const int Ring = 4;
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = RingSet(Ring, reports);
        var waiting = new RunLog(Ring + 1); // sender A: a full ring, then one more post that waits
        var refused = new RunLog(Ring + 1); // sender B: a full ring, then one post after the core went offline
        using var outer = Gate.BlockCore(set, 1);
        try
        {
            var postedA = 0;
            var senderA = new Sender(() =>
            {
                for (var i = 0; i <= Ring; i++)
                {
                    set.Post(1, static item => item.Run(), new Item(i, waiting));
                    Volatile.Write(ref postedA, i + 1); // release; pairs with the test thread's acquire reads
                }
            });
            Wait.Until(() => Volatile.Read(ref postedA) >= Ring, "sender A filling its ring");
            WaitForReport(reports, 0, "sender A's post #ring"); // it passed the online check and waits for its slot

            var postedB = 0;
            CoreOfflineException? refusal = null;
            var senderB = new Sender(() =>
            {
                for (var i = 0; i < Ring; i++)
                {
                    set.Post(1, static item => item.Run(), new Item(i, refused));
                }

                Volatile.Write(ref postedB, Ring); // release; pairs with the test thread's acquire read
                Wait.Until(() => set.GetCoreInfo(1).State == CoreState.Offline, "core 1 going offline");
                try
                {
                    set.Post(1, static item => item.Run(), new Item(Ring, refused)); // its ring is full: the answer must not wait for it
                }
                catch (CoreOfflineException ex)
                {
                    refusal = ex;
                }
            });
            Wait.Until(() => Volatile.Read(ref postedB) == Ring, "sender B filling its ring");

            var offline = set.TakeOfflineAsync(1); // completes once core 1 has drained, which the gate holds up
            senderB.Join("sender B (a post to an offline core must not wait for its full ring)");
            Assert.Equal(1, Assert.IsType<CoreOfflineException>(refusal).Core);
            Assert.Equal(0, refused.Runs(0)); // still held: nothing of B's has run
            Assert.False(offline.IsCompleted); // the drain waits for the gate

            outer.Open();
            Wait.For(offline, "TakeOffline");
            senderA.Join("sender A (its waiting post was accepted before the core went offline)");
            Wait.Until(() => waiting.Runs(Ring) == 1, "sender A's last post running (accepted before offline)");
            waiting.AssertEachRanOnceInOrder(Ring + 1);
            Assert.Equal(0, refused.Runs(Ring)); // the refused post never runs
            Assert.Equal(Enumerable.Range(0, Ring), refused.Order);

            // Online again, the rings are reusable: two laps of a ring run once each, in order.
            Assert.Equal(HotplugResult.Done, set.BringOnline(1));
            var again = new RunLog(2 * Ring);
            new Sender(() =>
            {
                for (var i = 0; i < 2 * Ring; i++)
                {
                    set.Post(1, static item => item.Run(), new Item(i, again));
                }
            }).Join("posts after BringOnline");
            Wait.Until(() => again.Runs((2 * Ring) - 1) == 1, "the posts after BringOnline running");
            again.AssertEachRanOnceInOrder(2 * Ring);
        }
        finally
        {
            OpenAll(outer);
        }
    }

    [Fact]
    public void Tasks_on_one_core_share_its_threads_ring()
    {
        const int Ring = 4;
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = RingSet(Ring, reports);
        var log = new RunLog(Ring + 1);
        using var outer = Gate.BlockCore(set, 1);
        try
        {
            var resumeA = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var postedA = 0;

            // Task A posts item 0 and yields; task B, on the same core thread, posts items 1..3 and ends: the ring of
            // core 0's thread for core 1 is full, though task A has one post in flight. A's next post waits, for item 0's slot.
            var taskA = set.RunAsync(0, async () =>
            {
                set.Post(1, static item => item.Run(), new Item(0, log));
                Volatile.Write(ref postedA, 1); // release; pairs with the test thread's acquire reads
                await resumeA.Task; // resumes on core 0 (its task scheduler)
                set.Post(1, static item => item.Run(), new Item(Ring, log));
                Volatile.Write(ref postedA, 2);
            });
            Wait.Until(() => Volatile.Read(ref postedA) == 1, "task A's first post");
            var taskB = set.RunAsync(0, () =>
            {
                for (var i = 1; i < Ring; i++)
                {
                    set.Post(1, static item => item.Run(), new Item(i, log));
                }
            });
            Wait.For(taskB, "task B's posts (the ring's last free slots: no wait)");

            resumeA.SetResult();
            var report = WaitForReport(reports, 0, "task A's second post");
            Assert.Equal(0, report.WaitingCore); // the waiter is core 0's thread
            Assert.Equal(1, report.TargetCore);
            Assert.Equal(1, Volatile.Read(ref postedA));

            outer.Open();
            Wait.For(taskA, "task A");
            Wait.Until(() => log.Runs(Ring) == 1, "task A's second post running");
            log.AssertEachRanOnceInOrder(Ring + 1); // one thread's posts, in the order it made them
        }
        finally
        {
            OpenAll(outer);
        }
    }

    /// <summary>The stress test's record: runs per sender, target and sequence number, and the last number each target ran.</summary>
    private sealed class Stress(int senders, int perTarget)
    {
        public readonly int[,,] Runs = new int[senders, 2, perTarget];
        public readonly int[,] Last = new int[senders, 2]; // single writer per [*, target]: that target core
        public int OutOfOrder;

        public static void Run((Stress Stress, int Sender, int Target, int Seq) s)
        {
            var t = s.Target - 1;
            var stress = s.Stress;
            Interlocked.Increment(ref stress.Runs[s.Sender, t, s.Seq]); // full fence; pairs with the test's acquire reads
            if (s.Seq != 0 && stress.Last[s.Sender, t] != s.Seq - 1)
            {
                Interlocked.Increment(ref stress.OutOfOrder); // full fence; read by the test after every run was seen
            }

            stress.Last[s.Sender, t] = s.Seq;
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void Posts_from_threads_and_a_core_run_exactly_once_and_in_each_senders_order(int ring)
    {
        const int Senders = 3; // outside threads; one more sender is core 0, in task context
        const int PerTarget = 10_000;
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = RingSet(ring, reports, cores: 3);
        var stress = new Stress(Senders + 1, PerTarget);

        void Send(int sender)
        {
            for (var i = 0; i < 2 * PerTarget; i++)
            {
                set.Post(1 + (i & 1), Stress.Run, (stress, sender, 1 + (i & 1), i >> 1));
            }
        }

        var threads = Enumerable.Range(0, Senders).Select(s => new Thread(() => Send(s))).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        var fromCore = set.RunAsync(0, () => Send(Senders));
        foreach (var t in threads)
        {
            Assert.True(t.Join(Wait.HangTimeout), "a sender never finished");
        }

        Wait.For(fromCore, "the core's sender");
        Wait.Until(() =>
        {
            for (var s = 0; s <= Senders; s++)
            {
                for (var t = 0; t < 2; t++)
                {
                    if (Volatile.Read(ref stress.Runs[s, t, PerTarget - 1]) == 0) // acquire; pairs with Run's increment
                    {
                        return false;
                    }
                }
            }

            return true;
        }, "every sender's last posts running");

        for (var s = 0; s <= Senders; s++)
        {
            for (var t = 0; t < 2; t++)
            {
                for (var q = 0; q < PerTarget; q++)
                {
                    var n = Volatile.Read(ref stress.Runs[s, t, q]); // acquire; pairs with Run's increment
                    Assert.True(n == 1, $"sender {s}'s post {q} to core {t + 1} ran {n} times");
                }
            }
        }

        Assert.Equal(0, Volatile.Read(ref stress.OutOfOrder)); // acquire; pairs with Run's increment
    }
}
