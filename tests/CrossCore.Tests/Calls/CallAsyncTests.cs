using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>C2, O1, O4, §5.2: the caller-owned descriptor.</summary>
[Collection(FaultInjectionCollection.Name)]
public sealed class CallAsyncTests
{
    private sealed class Counter
    {
        public long Runs;
    }

    [Fact]
    public void C2_O1_four_threads_hammering_one_descriptor_each_release_admits_exactly_one_claim_and_Busy_changes_nothing()
    {
        using var set = Sets.Create(2);
        var counter = new Counter();
        var descriptor = new CallDescriptor<Counter>(static c => c.Runs++, counter); // plain ++: only one run at a time can exist
        long ok = 0, busy = 0;
        const int PerThread = 200_000;
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            long myOk = 0, myBusy = 0;
            for (var i = 0; i < PerThread; i++)
            {
                switch (set.TryPost(1, descriptor))
                {
                    case CallResult.Ok: myOk++; break;
                    case CallResult.Busy: myBusy++; break;
                    default: throw new InvalidOperationException("unexpected result");
                }
            }

            Interlocked.Add(ref ok, myOk);
            Interlocked.Add(ref busy, myBusy);
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(Wait.HangTimeout));
        }

        Wait.Until(() => !descriptor.IsInFlight, "the last claim to be released");
        set.Invoke(1, static _ => { }, 0); // the last run has returned
        Assert.Equal(4L * PerThread, ok + busy);
        Assert.Equal(ok, counter.Runs); // every Ok ran once; no Busy answer queued anything
        Assert.True(busy > 0, "the race never produced Busy: the test did not test anything");
        Assert.Equal(busy, set.GetStatistics().BusyAnswers);
    }

    [Fact]
    public void O4_a_write_made_before_a_Busy_attempt_is_seen_by_the_next_run()
    {
        var violations = RunBusyVisibility(rounds: 200_000, out var busyRounds);
        Assert.True(busyRounds > 1000, $"only {busyRounds} Busy answers: the test exercised too little");
        Assert.Equal(0, violations);
    }

    [Fact]
    public void O4_the_Busy_visibility_check_fails_when_the_release_passes_the_function()
    {
        // The check above must be able to fail. The widest reordering a missing O4 fence permits (the function's
        // loads all before the release store) is emulated by releasing after the function: every Busy answer that
        // lands while the function runs is then a write the run missed.
        var violations = ViolationsWith(static () => FaultInjection.ReorderAsyncRelease = true, rounds: 200_000);
        Assert.True(violations > 0, "a run that missed a Busy caller's write was never detected: the visibility check is too weak");
    }

    [HardwareLitmusFact]
    public void O4_litmus_the_hardware_reorders_when_the_release_fence_is_removed()
    {
        // The real reordering, not an emulation: with the fence skipped, x86 lets the function's load of the datum
        // pass the release store. How often that shows depends on the machine (see HardwareLitmusFactAttribute).
        var violations = ViolationsWith(static () => FaultInjection.SkipAsyncReleaseFence = true, rounds: 500_000);
        Assert.True(violations > 0, "removing the O4 fence was never caught by the hardware in 20 attempts");
    }

    /// <summary>Runs up to 20 bounded attempts of <see cref="RunBusyVisibility"/> with one fault on; stops at the first
    /// attempt with a violation and returns its count.</summary>
    private static int ViolationsWith(Action enableFault, int rounds)
    {
        enableFault();
        try
        {
            var violations = 0;
            for (var attempt = 0; attempt < 20 && violations == 0; attempt++)
            {
                violations = RunBusyVisibility(rounds, out _);
            }

            return violations;
        }
        finally
        {
            FaultInjection.Reset();
        }
    }

    /// <summary>
    /// Store-buffering shape: the caller stores a datum then attempts (a CAS, full fence); the function, right after
    /// the release, loads the datum. A Busy answer for datum k obliges the run in flight (which started after the
    /// caller read "in flight") to see k, unless a later Ok queued another run that will.
    /// </summary>
    private static int RunBusyVisibility(int rounds, out int busyRounds)
    {
        using var set = Sets.Create(2);
        var box = new VisibilityBox();
        var descriptor = new CallDescriptor<VisibilityBox>(static b =>
        {
            var seen = Volatile.Read(ref b.Datum); // the first load after the release (+ fence, O4)
            if (seen > b.MaxSeen)
            {
                b.MaxSeen = seen;
            }

            Volatile.Write(ref b.Done, b.Done + 1);
        }, box);

        var violations = 0;
        busyRounds = 0;
        long queued = 0;
        for (var k = 1; k <= rounds; k++)
        {
            box.Datum = k; // plain store: the claim's CAS is the fence that orders it (O1)
            var result = set.TryPost(1, descriptor);
            if (result == CallResult.Ok)
            {
                queued++;
                continue;
            }

            // Busy: wait for the in-flight run to finish; it must have seen k.
            busyRounds++;
            var spin = new SpinWait();
            while (Volatile.Read(ref box.Done) != queued)
            {
                spin.SpinOnce(sleep1Threshold: -1);
            }

            if (box.MaxSeen < k)
            {
                violations++;
            }
        }

        return violations;
    }

    private sealed class VisibilityBox
    {
        public int Datum;
        public int MaxSeen;
        public long Done;
    }

    [Fact]
    public void Section5_2_a_descriptor_may_requeue_itself_from_its_own_function()
    {
        using var set = Sets.Create(2);
        var state = new Requeue { Set = set };
        state.Descriptor = new CallDescriptor<Requeue>(static s =>
        {
            if (++s.Runs < 1000)
            {
                Assert.Equal(CallResult.Ok, s.Set!.TryPost(s.Runs % 2, s.Descriptor!)); // released before func: free to re-queue
            }
        }, state);
        Assert.Equal(CallResult.Ok, set.TryPost(0, state.Descriptor));
        Wait.Until(() => Volatile.Read(ref state.Runs) >= 1000 && !state.Descriptor.IsInFlight);
        Assert.Equal(1000, state.Runs);
    }

    private sealed class Requeue
    {
        public CoreSet? Set;
        public CallDescriptor<Requeue>? Descriptor;
        public int Runs;
    }

    [Fact]
    public void C2_offline_target_answers_Offline_and_leaves_the_descriptor_reusable()
    {
        using var set = Sets.Create(2);
        var runs = 0;
        var descriptor = new CallDescriptor<int>(_ => Interlocked.Increment(ref runs), 0);
        Assert.Equal(HotplugResult.Done, set.TakeOffline(1));
        Assert.Equal(CallResult.Offline, set.TryPost(1, descriptor));
        Assert.False(descriptor.IsInFlight);
        Assert.Equal(CallResult.Ok, set.TryPost(0, descriptor));
        Wait.Until(() => Volatile.Read(ref runs) == 1);
    }

    [Fact]
    public void C2_is_allowed_in_handler_context_and_a_call_to_its_own_core_runs_after_the_current_function()
    {
        using var set = Sets.Create(2);
        var state = new OwnCoreCall();
        var inner = new CallDescriptor<OwnCoreCall>(static s =>
        {
            s.Log.Add("inner"); // on core 1, like the outer function: the list is only touched there
            Volatile.Write(ref s.InnerRan, true); // release: the log's writes before it; pairs with the test's acquire read
        }, state);
        set.Invoke(1, () =>
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, inner)); // own core, handler context: queued, not recursive
            Assert.DoesNotContain("inner", state.Log);
            state.Log.Add("outer");
        });

        // SPEC 5.1 lets a later sync call overtake the queued async call (sync calls run first in a batch), so wait
        // for the async call itself rather than for a later call to core 1.
        Wait.Until(() => Volatile.Read(ref state.InnerRan), "the async call queued to its own core ran"); // acquire; pairs with the release above
        Assert.Equal(["outer", "inner"], state.Log);
    }

    private sealed class OwnCoreCall
    {
        public readonly List<string> Log = [];
        public bool InnerRan;
    }
}
