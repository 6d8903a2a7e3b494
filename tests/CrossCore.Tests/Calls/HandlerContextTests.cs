using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>§6: a waiting operation from handler context throws InvalidOperationException naming the deadlock, and queues nothing.</summary>
public sealed class HandlerContextTests
{
    public static TheoryData<string> Operations => new()
    {
        "Invoke", "Post", "InvokeMany", "PostMany", "InvokeOnEach", "PostOnEach", "InvokeAny", "Sync", "Offline", "Online", "Dispose", "DisposeAsync",
    };

    [Theory]
    [MemberData(nameof(Operations))]
    public void Section6_waiting_operations_from_handler_context_throw_and_queue_nothing(string operation)
    {
        using var set = Sets.Create(2);
        var queued = 0;
        var work = new DeferredWork<int>(set, _ => { }, 0);
        Exception? caught = null;
        set.Invoke(0, () =>
        {
            try
            {
                switch (operation)
                {
                    case "Invoke": set.Invoke(1, () => queued++); break;
                    case "Post": set.Post(1, () => queued++); break;
                    case "InvokeMany": set.InvokeMany(null, (_, _) => queued++, 0); break;
                    case "PostMany": set.PostMany(null, (_, _) => queued++, 0); break;
                    case "InvokeOnEach": set.InvokeOnEach(null, null, (_, _) => queued++, 0); break;
                    case "PostOnEach": set.PostOnEach(null, null, (_, _) => queued++, 0); break;
                    case "InvokeAny": set.InvokeAny(null, (_, _) => queued++, 0); break;
                    case "Sync": work.Sync(); break;
                    case "Offline": set.TakeOffline(1); break;
                    case "Online": set.BringOnline(1); break;
                    case "Dispose": set.Dispose(); break;
                    case "DisposeAsync": set.DisposeAsync().AsTask().Wait(); break;
                }
            }
            catch (Exception ex)
            {
                caught = ex;
            }
        });
        var ioe = Assert.IsType<InvalidOperationException>(caught);
        Assert.Contains("handler context", ioe.Message);
        Assert.Contains("deadlock", ioe.Message);
        set.InvokeMany(null, static (_, _) => { }, 0);
        Assert.Equal(0, queued);
        Assert.True(set.IsOnline(1));
    }

    [Fact]
    public void Section6_the_allowed_handler_context_operations_work_there()
    {
        using var set = Sets.Create(2);
        var ran = new int[2];
        var descriptor = new CallDescriptor<int[]>(static r => Interlocked.Increment(ref r[0]), ran);
        var work = new DeferredWork<int[]>(set, static r => Interlocked.Increment(ref r[1]), ran);
        Task? task = null;
        set.Invoke(0, () =>
        {
            Assert.True(CoreSet.IsInHandlerContext);
            Assert.Equal(CallResult.Ok, set.TryPost(1, descriptor));
            Assert.Equal(QueueResult.Queued, work.QueueOn(1));
            task = set.RunAsync(1, () => { });
        });
        Wait.For(task!);
        Wait.Until(() => Volatile.Read(ref ran[0]) == 1 && Volatile.Read(ref ran[1]) == 1);
        Assert.False(CoreSet.IsInHandlerContext);
    }

    [Fact]
    public void Section6_dispose_from_a_core_throws_but_DisposeAsync_from_task_context_works()
    {
        var set = Sets.Create(2);
        var sync = set.RunAsync(0, () => Assert.Throws<InvalidOperationException>(set.Dispose));
        Wait.For(sync);
        var async = set.RunAsync(1, async () => await set.DisposeAsync());
        Wait.For(async, "DisposeAsync from a core");
        Assert.Throws<ObjectDisposedException>(() => set.Invoke(0, () => { }));
    }
}
