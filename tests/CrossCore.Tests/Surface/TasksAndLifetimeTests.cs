using CrossCore.Tests.Support;

namespace CrossCore.Tests.Surface;

/// <summary>C5, C8, C9 and §10: RunAsync with state and cancellation, the per-core TaskScheduler, hotplug verbs, DisposeAsync.</summary>
public sealed class TasksAndLifetimeTests
{
    [Fact]
    public async Task C5_RunAsync_with_state_runs_in_task_context_on_the_core_and_returns_the_result()
    {
        using var set = Sets.Create(2);
        var (core, inHandler, value) = await set.RunAsync(1, static s => (s.set.CurrentCore, CoreSet.IsInHandlerContext, s.x * 2), (set, x: 21));
        Assert.Equal((1, false, 42), (core, inHandler, value));
        var resumed = await set.RunAsync(1, static async s =>
        {
            await Task.Yield();
            return s.CurrentCore;
        }, set);
        Assert.Equal(1, resumed);
    }

    [Fact]
    public async Task C12_RunAsync_cancelled_while_queued_never_runs()
    {
        using var set = Sets.Create(2);
        var ran = 0;
        using var gate = Gate.BlockCore(set, 1);
        using var cts = new CancellationTokenSource();
        var task = set.RunAsync(1, () => ran++, cts.Token);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        gate.Open();
        await set.RunAsync(1, static () => { });
        Assert.Equal(0, ran);
        Assert.True(task.IsCanceled);
    }

    [Fact]
    public async Task C5_the_cores_TaskScheduler_runs_tasks_on_that_core_in_order()
    {
        using var set = Sets.Create(2);
        var factory = new TaskFactory(set.GetTaskScheduler(1));
        Assert.Same(set.GetTaskScheduler(1), set.GetTaskScheduler(1));
        var order = new List<int>();
        var tasks = Enumerable.Range(0, 100).Select(i => factory.StartNew(() =>
        {
            order.Add(i); // only core 1 runs these, one at a time: no lock needed
            return set.CurrentCore;
        })).ToArray();
        var cores = await Task.WhenAll(tasks);
        Assert.All(cores, c => Assert.Equal(1, c));
        Assert.Equal(Enumerable.Range(0, 100), order);
    }

    [Fact]
    public async Task C8_TakeOfflineAsync_completes_after_the_drain_and_BringOnline_serves_again()
    {
        using var set = Sets.Create(2);
        var runs = new int[1];
        using var gate = Gate.BlockCore(set, 1);
        set.Post(1, static r => Interlocked.Increment(ref r[0]), runs);
        var offline = set.TakeOfflineAsync(1);
        Assert.False(offline.IsCompleted);
        gate.Open();
        Assert.Equal(HotplugResult.Done, await offline);
        Assert.Equal(1, runs[0]); // drained before the task completed
        Assert.Equal(HotplugResult.AlreadyInState, await set.TakeOfflineAsync(1));
        Assert.Equal(HotplugResult.Done, set.BringOnline(1));
        Assert.Equal(1, set.Invoke(1, static s => s.CurrentCore, set));
    }

    [Fact]
    public async Task C9_DisposeAsync_drains_everything_accepted_and_then_calls_throw()
    {
        var set = Sets.Create(3);
        var runs = new int[1];
        using var gate = Gate.BlockCore(set, 2);
        for (var i = 0; i < 100; i++)
        {
            set.Post(i % 2, static r => Interlocked.Increment(ref r[0]), runs); // cores 0 and 1 run them as they come
        }

        var queuedBehindGate = new CallDescriptor<int[]>(static r => Interlocked.Increment(ref r[0]), runs);
        Assert.Equal(CallResult.Ok, set.TryPost(2, queuedBehindGate)); // waits in core 2's inbox
        var disposing = set.DisposeAsync().AsTask();
        Assert.False(disposing.IsCompleted); // core 2 cannot stop before it has run what it accepted
        gate.Open();
        await disposing;
        Assert.Equal(101, runs[0]);
        await set.DisposeAsync(); // again: completes at once
        Assert.Throws<ObjectDisposedException>(() => set.Invoke(0, static _ => { }, 0));
    }

    [Fact]
    public void C9_DisposeAsync_from_a_cores_own_task_context_completes_once_that_core_stops()
    {
        var set = Sets.Create(2);
        var disposed = set.RunAsync(0, static s => s.DisposeAsync().AsTask(), set);
        Wait.For(disposed, "DisposeAsync called on core 0");
        Assert.Throws<ObjectDisposedException>(() => set.Invoke(1, static _ => { }, 0));
    }
}
