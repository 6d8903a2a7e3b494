using CrossCore.Tests.Support;

namespace CrossCore.Tests.Hotplug;

/// <summary>C8, §5.3, §5.4, §6: offline and online with nothing lost.</summary>
public sealed class HotplugTests
{
    [Fact]
    public void Section5_4_offline_drains_everything_accepted_before_on_the_dying_core_exactly_once()
    {
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        var gate = Gate.BlockCore(set, 1);
        var runs = new int[5];
        var ranOn = new System.Collections.Concurrent.ConcurrentBag<int>();
        var descriptors = Enumerable.Range(0, 50).Select(_ => new CallDescriptor<(int[] R, CoreSet S, System.Collections.Concurrent.ConcurrentBag<int> On)>(
            static s => { Interlocked.Increment(ref s.R[0]); s.On.Add(s.S.CurrentCore); }, (runs, set, ranOn))).ToArray();
        foreach (var d in descriptors)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, d));
        }

        var raised = new DeferredWork<int[]>(set, static r => Interlocked.Increment(ref r[1]), runs);
        var lazy = new DeferredWork<int[]>(set, static r => Interlocked.Increment(ref r[2]), runs, DeferredWorkOptions.Lazy);
        Assert.Equal(QueueResult.Queued, raised.QueueOn(1));
        Assert.Equal(QueueResult.Queued, lazy.QueueOn(1));
        var task = set.RunAsync(1, () => Interlocked.Increment(ref runs[3]));
        var waiter = new Thread(() => set.Invoke(1, static r => Interlocked.Increment(ref r[4]), runs)); // a waiter blocked on the dying core
        waiter.Start();
        Wait.Until(() => set.GetCoreUnchecked(1).ApproximateInboxDepth() == 54, "everything to be queued");

        HotplugResult result = default;
        var offliner = new Thread(() => result = set.TakeOffline(1));
        offliner.Start();
        Wait.Until(() => !set.IsOnline(1), "the online flag to drop");
        Assert.Throws<CoreOfflineException>(() => set.Invoke(1, static _ => { }, 0)); // from now on: Offline
        gate.Open();
        Assert.True(offliner.Join(Wait.HangTimeout), "Offline hung");
        Assert.True(waiter.Join(Wait.HangTimeout), "the waiter was not released by the drain");

        Assert.Equal(HotplugResult.Done, result);
        Assert.Equal([50, 1, 1, 1, 1], runs);   // every accepted request ran exactly once, lazy work included
        Assert.All(ranOn, c => Assert.Equal(1, c)); // on the dying core itself
        Assert.True(task.IsCompletedSuccessfully);
        Assert.Equal(CoreState.Offline, set.GetState(1));
    }

    [Fact]
    public void C8_an_offline_core_answers_Offline_to_every_single_target_request_and_masks_skip_it()
    {
        using var set = Sets.Create(3);
        Assert.Equal(HotplugResult.Done, set.TakeOffline(2));
        var hits = new int[3];
        Assert.Throws<CoreOfflineException>(() => set.Invoke(2, static _ => { }, 0));
        Assert.Throws<CoreOfflineException>(() => set.Post(2, static _ => { }, 0));
        Assert.Equal(CallResult.Offline, set.TryPost(2, new CallDescriptor<int>(static _ => { }, 0)));
        Assert.Equal(QueueResult.Offline, new DeferredWork<int>(set, static _ => { }, 0).QueueOn(2));
        Assert.Throws<CoreOfflineException>(() => set.InvokeAny(CoreMask.Of(2), static (_, _) => { }, 0));
        Assert.IsType<CoreOfflineException>(Record.Exception(() => set.RunAsync(2, () => { }).GetAwaiter().GetResult()));
        set.InvokeMany(null, static (_, s) => s.hits[s.set.CurrentCore]++, (hits, set));
        set.InvokeOnEach(null, null, static (_, s) => s.hits[s.set.CurrentCore]++, (hits, set));
        Assert.Equal([2, 2, 0], hits);
    }

    [Fact]
    public void C8_offline_and_online_of_a_core_already_in_that_state_is_a_no_op()
    {
        using var set = Sets.Create(2);
        Assert.Equal(HotplugResult.AlreadyInState, set.BringOnline(1));
        Assert.Equal(HotplugResult.Done, set.TakeOffline(1));
        Assert.Equal(HotplugResult.AlreadyInState, set.TakeOffline(1));
        Assert.Equal(HotplugResult.Done, set.BringOnline(1));
        Assert.Equal(HotplugResult.AlreadyInState, set.BringOnline(1));
    }

    [Fact]
    public void C8_online_brings_the_same_core_id_back_with_its_pinning()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, PinToHardwareCpus = OperatingSystem.IsLinux(), OnStuckCall = static _ => { } });
        var before = set.GetCoreInfo(1);
        set.TakeOffline(1);
        set.BringOnline(1);
        var after = set.GetCoreInfo(1);
        Assert.Equal(before.ManagedThreadId, after.ManagedThreadId);
        Assert.Equal(before.HardwareCpu, after.HardwareCpu);
        var ranOn = -1;
        set.Invoke(1, () => ranOn = set.CurrentCore);
        Assert.Equal(1, ranOn);
        if (OperatingSystem.IsLinux())
        {
            var cpu = set.RunAsync(1, Affinity.CurrentCpu);
            Wait.For(cpu);
            Assert.Equal(after.HardwareCpu, cpu.Result);
        }
    }

    [Fact]
    public void C8_an_offline_core_parks_and_uses_no_CPU()
    {
        using var set = Sets.Create(2, poll: TimeSpan.FromMilliseconds(1));
        set.TakeOffline(1);
        var core = set.GetCoreUnchecked(1);
        Wait.Until(() => core.Parker.State == Parker.Parked, "the dormant core to park");
        var parks = set.GetStatistics().Parks;
        Thread.Sleep(100);
        Assert.Equal(Parker.Parked, core.Parker.State); // still blocked: nothing woke it, no tick
        Assert.Equal(parks, set.GetStatistics().Parks);
    }

    [Fact]
    public void C8_a_core_can_take_itself_offline_from_task_context_and_drains_when_the_task_item_returns()
    {
        using var set = Sets.Create(2);
        var ran = new int[1];
        var result = set.RunAsync(1, () =>
        {
            var r = set.TakeOffline(1);
            var stillRunning = set.CurrentCore; // the task item goes on; the drain comes after it returns
            return (r, stillRunning);
        });
        Wait.For(result);
        Assert.Equal((HotplugResult.Pending, 1), result.Result);
        Wait.Until(() => set.GetState(1) == CoreState.Offline);
        Assert.Throws<CoreOfflineException>(() => set.Invoke(1, static r => r[0]++, ran));
        var async = set.TakeOfflineAsync(0);
        Wait.For(async);
        Assert.Equal(HotplugResult.Done, async.Result);
        _ = ran;
    }

    [Fact]
    public void O8_a_core_offlining_another_serves_its_inbox_while_it_waits_for_the_drain()
    {
        // Core 1 holds a task item that calls core 0 synchronously while core 0 waits (in Offline) for core 1 to
        // drain: Offline must wait like a sync caller, serving core 0's inbox, or this deadlocks.
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        var started = new ManualResetEventSlim();
        var dying = set.RunAsync(1, () =>
        {
            started.Set();
            Thread.Sleep(20);
            set.Invoke(0, static _ => { }, 0);
        });
        started.Wait();
        var offliner = set.RunAsync(0, () => set.TakeOffline(1));
        Wait.For(offliner, "Offline from core 0");
        Wait.For(dying);
        Assert.Equal(HotplugResult.Done, offliner.Result);
        Assert.True(dying.IsCompletedSuccessfully);
    }

    [Fact]
    public void C8_concurrent_offline_and_online_of_one_core_serialize_and_end_consistent()
    {
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        var errors = 0;
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            for (var i = 0; i < 500; i++)
            {
                try
                {
                    _ = (i + t) % 2 == 0 ? set.TakeOffline(1) : set.BringOnline(1);
                }
                catch (Exception)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(Wait.HangTimeout), "a hotplug operation hung");
        }

        Assert.Equal(0, errors);
        set.BringOnline(1);
        var ran = false;
        set.Invoke(1, () => ran = true);
        Assert.True(ran);
    }

    [Fact]
    public void C8_all_cores_offline_makes_every_call_answer_Offline_and_dispose_still_works()
    {
        var set = Sets.Create(3);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HotplugResult.Done, set.TakeOffline(i));
        }

        Assert.Throws<CoreOfflineException>(() => set.Invoke(0, static _ => { }, 0));
        Assert.Throws<CoreOfflineException>(() => set.InvokeAny(null, static (_, _) => { }, 0));
        set.InvokeMany(null, static (_, _) => throw new InvalidOperationException("must not run"), 0);
        set.Dispose();
        Assert.Throws<ObjectDisposedException>(() => set.BringOnline(0));
    }
}
