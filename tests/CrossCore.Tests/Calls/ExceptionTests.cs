using System.Collections.Concurrent;
using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>§6: exceptions in functions: re-thrown to a waiting caller, reported for async calls and deferred work; the core lives on.</summary>
public sealed class ExceptionTests
{
    [Fact]
    public void Section6_async_and_deferred_exceptions_are_reported_and_the_core_keeps_serving()
    {
        var reports = new ConcurrentQueue<FunctionExceptionInfo>();
        using var set = Sets.Create(2, onException: reports.Enqueue);
        var descriptor = new CallDescriptor<int>(static _ => throw new FormatException("async"), 0);
        var work = new DeferredWork<int>(set, static _ => throw new FileNotFoundException("deferred"), 0);
        Assert.Equal(CallResult.Ok, set.TryPost(1, descriptor));
        Assert.Equal(QueueResult.Queued, work.QueueOn(1));
        set.Post(1, static _ => { }, 0);
        Wait.Until(() => reports.Count == 2, "two reports");
        Wait.Until(() => !work.IsBusy && !descriptor.IsInFlight);

        Assert.Contains(reports, r => r.Exception is FormatException && r.Core == 1);
        Assert.Contains(reports, r => r.Exception is FileNotFoundException && r.Core == 1);
        Assert.Equal(2, set.GetStatistics().FunctionExceptions);
        Assert.Equal(QueueResult.Queued, work.QueueOn(1)); // the work is reusable after a throwing run
        var ran = false;
        set.Invoke(1, () => ran = true);
        Assert.True(ran);
    }

    [Fact]
    public void Section6_a_throwing_report_callback_does_not_take_the_core_down()
    {
        using var set = Sets.Create(2, onException: _ => throw new InvalidOperationException("callback"));
        set.Post(1, static _ => throw new FormatException(), 0);
        var ran = false;
        set.Invoke(1, () => ran = true);
        Assert.True(ran);
    }

    [Fact]
    public void C3_many_call_exceptions_are_rethrown_together()
    {
        using var set = Sets.Create(3);
        var ex = Assert.Throws<AggregateException>(() => set.InvokeMany(null, static (_, n) => throw new FormatException(n), "x"));
        Assert.Equal(3, ex.InnerExceptions.Count);
        var one = Assert.Throws<FormatException>(() => set.InvokeMany(CoreMask.Of(2), static (_, n) => throw new FormatException(n), "y"));
        Assert.Equal("y", one.Message);
    }
}
