using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>C3, C4, O3: many-calls, on-each-core with a condition, and call-any.</summary>
public sealed class CallManyTests
{
    [Fact]
    public void C3_CallMany_runs_on_every_online_core_of_the_mask_except_the_callers_own()
    {
        using var set = Sets.Create(4);
        var ran = new int[4];
        var result = set.RunAsync(0, () => set.InvokeMany(null, static (_, r) => Interlocked.Increment(ref r[0]), ran));
        Wait.For(result);
        var hits = new int[4];
        Wait.For(set.RunAsync(1, () => set.InvokeMany(CoreMask.Of(0, 1, 3), static (_, s) => s.hits[s.set.CurrentCore]++, (hits, set))));
        Assert.Equal(3, ran[0]);
        Assert.Equal([1, 0, 0, 1], hits);
    }

    [Fact]
    public void C3_OnEachCore_includes_the_callers_core_inline_after_queueing_the_remote_ones_and_filters_with_the_condition_on_the_caller()
    {
        using var set = Sets.Create(4);
        var log = new System.Collections.Concurrent.ConcurrentQueue<(int Core, bool Handler)>();
        var condThreads = new System.Collections.Concurrent.ConcurrentBag<int>();
        var callerThread = -1;
        Wait.For(set.RunAsync(2, () =>
        {
            callerThread = Environment.CurrentManagedThreadId;
            set.InvokeOnEach(
                null,
                (core, _) => { condThreads.Add(Environment.CurrentManagedThreadId); return core != 3; }, (_, _) => log.Enqueue((set.CurrentCore, CoreSet.IsInHandlerContext)),
                0);
        }));
        Assert.Equal([0, 1, 2], log.Select(e => e.Core).Order());
        Assert.All(log, e => Assert.True(e.Handler));
        Assert.All(condThreads, t => Assert.Equal(callerThread, t)); // cond runs on the calling thread
    }

    [Fact]
    public void C3_offline_cores_in_a_mask_are_skipped_silently()
    {
        using var set = Sets.Create(3);
        set.TakeOffline(1);
        var hits = new int[3];
        set.InvokeMany(null, static (_, s) => s.hits[s.set.CurrentCore]++, (hits, set));
        set.InvokeOnEach(CoreMask.Of(1), null, static (_, s) => s.hits[s.set.CurrentCore]++, (hits, set));
        Assert.Equal([1, 0, 1], hits);
    }

    [Fact]
    public void O3_a_many_call_waits_for_every_core_it_queued_to_even_those_it_did_not_wake()
    {
        // The 2025 regression: "no wake-up needed" is not "no work queued". Core 1's inbox is made non-empty first,
        // so the many-call's push there sends no wake-up; it must still wait for core 1 to run the function.
        using var set = Sets.Create(3);
        using var gate = Gate.BlockCore(set, 1);
        var filler = new CallDescriptor<int>(static _ => { }, 0);
        Assert.Equal(CallResult.Ok, set.TryPost(1, filler)); // inbox now non-empty: the next push owes no wake-up
        var finished = false;
        var manyRan = new int[1];
        var caller = new Thread(() =>
        {
            set.InvokeMany(CoreMask.Of(1, 2), static (_, r) => Interlocked.Increment(ref r[0]), manyRan);
            Volatile.Write(ref finished, true);
        });
        caller.Start();
        Wait.Until(() => set.GetCoreUnchecked(1).ApproximateInboxDepth() == 2, "the many-call to queue on core 1");
        Thread.Sleep(50); // give a buggy implementation the chance to return early (a bug can only pass by luck, never fail by it)
        Assert.False(Volatile.Read(ref finished), "CallMany returned before core 1 ran the function");
        Assert.Equal(1, Volatile.Read(ref manyRan[0])); // core 2 ran it; core 1 is still held
        gate.Open();
        Assert.True(caller.Join(Wait.HangTimeout));
        Assert.Equal(2, manyRan[0]);
    }

    [Fact]
    public void C4_InvokeAny_prefers_the_callers_own_core_then_an_online_core_of_the_mask()
    {
        using var set = Sets.Create(4);
        var chosen = set.RunAsync(2, () =>
        {
            return set.InvokeAny(CoreMask.Of(1, 2), static (_, _) => { }, 0);
        });
        Wait.For(chosen);
        Assert.Equal(2, chosen.Result);

        set.TakeOffline(1);
        var ranOn = -1;
        var told = set.InvokeAny(CoreMask.Of(1, 3), (core, s) => ranOn = s.CurrentCore == core ? core : -2, set, out var picked);
        Assert.Equal(3, picked);
        Assert.Equal(3, ranOn);
        Assert.Equal(3, told);

        set.TakeOffline(3);
        var none = Assert.Throws<CoreOfflineException>(() => set.InvokeAny(CoreMask.Of(1, 3), static (_, _) => { }, 0));
        Assert.Equal(-1, none.Core);
    }

    [Fact]
    public void C4_InvokeAny_from_outside_prefers_an_idle_core_over_a_busy_one()
    {
        using var set = Sets.Create(3);
        using var gate = Gate.BlockCore(set, 0);
        Assert.Equal(2, set.InvokeAny(CoreMask.Of(0, 2), static (_, _) => { }, 0));
        gate.Open();
    }
}
