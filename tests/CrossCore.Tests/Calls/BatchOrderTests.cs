using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>§5.1 and O2: a detached batch runs sync entries first, then the rest in FIFO order.</summary>
public sealed class BatchOrderTests
{
    [Fact]
    public void Section5_1_sync_calls_run_first_then_async_calls_in_FIFO_order()
    {
        using var set = Sets.Create(2);
        var core = set.GetCoreUnchecked(1);
        var order = new List<string>();
        using var gate = Gate.BlockCore(set, 1); // the core is inside a function: everything below lands in one batch

        var descriptors = Enumerable.Range(0, 5).Select(i => new CallDescriptor<int>(n => order.Add($"async{n}"), i)).ToArray();
        Assert.Equal(CallResult.Ok, set.TryPost(1, descriptors[0]));
        Assert.Equal(CallResult.Ok, set.TryPost(1, descriptors[1]));
        var waiter = new Thread(() => set.Invoke(1, () => order.Add("sync")));
        waiter.Start();
        Wait.Until(() => core.ApproximateInboxDepth() == 3, "the sync call to be queued");
        for (var i = 2; i < 5; i++)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, descriptors[i]));
        }

        gate.Open();
        Assert.True(waiter.Join(Wait.HangTimeout));
        set.Invoke(1, static _ => { }, 0);
        Assert.Equal(["sync", "async0", "async1", "async2", "async3", "async4"], order);
    }

    [Fact]
    public void An_entry_that_ran_keeps_no_link_to_the_rest_of_its_batch()
    {
        // A descriptor (or a pooled entry) that sits idle after its run must not keep the entries queued behind it
        // alive, and through them their states and sets (seen in the soak: disposed sets held by pooled entries).
        using var set = Sets.Create(2);
        using var gate = Gate.BlockCore(set, 1); // one batch: both below are detached together, first linked to second
        var first = new CallDescriptor<int>(static _ => { }, 0);
        var second = new CallDescriptor<int>(static _ => { }, 1);
        Assert.Equal(CallResult.Ok, set.TryPost(1, first));
        Assert.Equal(CallResult.Ok, set.TryPost(1, second));
        gate.Open();
        Wait.Until(() => !first.IsInFlight && !second.IsInFlight, "both descriptors to be released"); // acquire: sees what the core wrote before each release
        Assert.Null(first.Entry.Next);
        Assert.Null(second.Entry.Next);
    }
}
