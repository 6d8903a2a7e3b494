using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>C5: task-context work on a core: may block, may wait, resumes on the same core after await.</summary>
public sealed class RunAsyncTests
{
    [Fact]
    public void C5_runs_in_task_context_on_the_core_and_returns_its_result()
    {
        using var set = Sets.Create(2);
        var t = set.RunAsync(1, () => (set.CurrentCore, CoreSet.IsInHandlerContext));
        Wait.For(t);
        Assert.Equal((1, false), t.Result);
    }

    [Fact]
    public void C5_await_resumes_on_the_same_core()
    {
        using var set = Sets.Create(2);
        var cores = new List<int>();
        var t = set.RunAsync(1, async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                cores.Add(set.CurrentCore);
                await Task.Delay(1);
                await Task.Yield();
            }

            return set.CurrentCore;
        });
        Wait.For(t);
        Assert.Equal(1, t.Result);
        Assert.All(cores, c => Assert.Equal(1, c));
    }

    [Fact]
    public void C5_may_block_and_make_waiting_calls()
    {
        using var set = Sets.Create(2);
        var t = set.RunAsync(0, () =>
        {
            Thread.Sleep(5);
            var seen = -1;
            set.Invoke(1, () => seen = set.CurrentCore);
            return seen;
        });
        Wait.For(t);
        Assert.Equal(1, t.Result);
    }

    [Fact]
    public async Task C5_exceptions_fault_the_task_and_an_offline_core_faults_it_with_CoreOfflineException()
    {
        using var set = Sets.Create(2);
        await Assert.ThrowsAsync<FormatException>(() => set.RunAsync(1, () => throw new FormatException()));
        await Assert.ThrowsAsync<FormatException>(() => set.RunAsync(1, async () => { await Task.Yield(); throw new FormatException(); }));
        set.TakeOffline(1);
        var ex = await Assert.ThrowsAsync<CoreOfflineException>(() => set.RunAsync(1, () => { }));
        Assert.Equal(1, ex.Core);
    }
}
