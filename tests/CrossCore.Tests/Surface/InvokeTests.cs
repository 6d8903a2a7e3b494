using CrossCore.Tests.Support;

namespace CrossCore.Tests.Surface;

/// <summary>C11 and §10: waiting calls that return the function's result, and one failure style per shape.</summary>
public sealed class InvokeTests
{
    [Fact]
    public void C11_Invoke_returns_the_functions_result_computed_on_the_target_core()
    {
        using var set = Sets.Create(3);
        for (var i = 0; i < 1_000; i++)
        {
            var core = i % 3;
            var (ranOn, doubled) = set.Invoke(core, static s => (s.set.CurrentCore, s.i * 2), (set, i));
            Assert.Equal(core, ranOn);
            Assert.Equal(i * 2, doubled);
        }

        Assert.Equal(7, set.Invoke(1, () => 7));
    }

    [Fact]
    public void C11_Invoke_to_the_callers_own_core_runs_inline_and_returns_the_result()
    {
        using var set = Sets.Create(2);
        var task = set.RunAsync(1, () => set.Invoke(1, static s => (s.CurrentCore, Environment.CurrentManagedThreadId), set));
        Wait.For(task);
        Assert.Equal(1, task.Result.Item1);
        Assert.Equal(set.GetCoreInfo(1).ManagedThreadId, task.Result.Item2);
    }

    [Fact]
    public void Section6_Invoke_rethrows_the_functions_exception_with_its_stack_and_the_core_keeps_serving()
    {
        using var set = Sets.Create(2);
        var ex = Assert.Throws<FormatException>(() => set.Invoke<int, int>(1, static _ => ThrowFormat(), 0));
        Assert.Contains(nameof(ThrowFormat), ex.StackTrace, StringComparison.Ordinal);
        Assert.Equal(3, set.Invoke(1, static x => x + 1, 2));
    }

    [Fact]
    public void Section10_waiting_and_posting_calls_throw_CoreOfflineException_naming_the_core_and_queue_nothing()
    {
        using var set = Sets.Create(3);
        set.TakeOffline(2);
        var ran = 0;
        Assert.Equal(2, Assert.Throws<CoreOfflineException>(() => set.Invoke(2, () => ran++)).Core);
        Assert.Equal(2, Assert.Throws<CoreOfflineException>(() => set.Invoke(2, () => ++ran)).Core);
        Assert.Equal(2, Assert.Throws<CoreOfflineException>(() => set.Post(2, () => ran++)).Core);
        set.BringOnline(2);
        set.InvokeMany(null, static (_, _) => { }, 0); // anything queued would have run by now
        Assert.Equal(0, ran);
    }

    private static int ThrowFormat() => throw new FormatException("from the core");
}
