using CrossCore.Tests.Support;

namespace CrossCore.Tests.Surface;

/// <summary>C3, C13 and §6: many-calls report the cores that ran them, and a throwing condition leaves nothing in flight.</summary>
public sealed class ManyCallTests
{
    [Fact]
    public void C3_many_calls_tell_the_function_its_core_and_report_which_cores_ran_it()
    {
        using var set = Sets.Create(4);
        set.TakeOffline(3);
        var told = new int[4];
        var ranOn = new CoreMask();
        var count = set.InvokeMany(null, static (core, s) => s.told[core] = s.set.CurrentCore == core ? 1 : -1, (told, set), ranOn);
        Assert.Equal(3, count);
        Assert.Equal([0, 1, 2], ranOn.ToArray());
        Assert.Equal([1, 1, 1, 0], told);

        var fromCore = set.RunAsync(1, s =>
        {
            var mask = new CoreMask();
            var n = s.InvokeOnEach(null, static (core, _) => core != 2, static (_, _) => { }, 0, mask);
            return (n, mask.ToArray());
        }, set);
        Wait.For(fromCore);
        Assert.Equal(2, fromCore.Result.n); // own core 1 inline, 2 filtered out, 3 offline
        Assert.Equal([0, 1], fromCore.Result.Item2);
    }

    [Fact]
    public void C3_posted_many_calls_report_the_cores_they_queued_to()
    {
        using var set = Sets.Create(3);
        var runs = new int[3];
        var mask = new CoreMask();
        Assert.Equal(3, set.PostMany(null, static (core, r) => Interlocked.Increment(ref r[core]), runs, mask));
        Assert.Equal(3, set.PostOnEach(CoreMask.Of(0, 2), null, static (core, r) => Interlocked.Increment(ref r[core]), runs, mask) + 1);
        Assert.Equal([0, 2], mask.ToArray());
        Wait.Until(() => Volatile.Read(ref runs[0]) == 2 && Volatile.Read(ref runs[1]) == 1 && Volatile.Read(ref runs[2]) == 2);
    }

    /// <summary>
    /// The bug of issue 11: a condition that threw after some waiting calls were queued left a pooled descriptor in
    /// flight; the next call re-armed it while still queued, the node was pushed onto itself, its function ran
    /// thousands of times and Dispose hung. Now the conditions are evaluated before anything is queued.
    /// </summary>
    [Fact]
    public void C13_a_throwing_condition_queues_nothing_and_every_later_call_runs_exactly_once()
    {
        var set = Sets.Create(4);
        var runs = new int[4];
        using var gate = Gate.BlockCore(set, 0); // core 0 cannot run anything: a call queued to it stays queued
        Exception? error = null;
        try
        {
            // Nothing may be queued before the condition throws: a call queued to the blocked core 0 would keep the
            // throwing call waiting for it (or, before the fix, leave its pooled descriptor in flight).
            Wait.OnThread(
                () => error = Record.Exception(() => set.InvokeOnEach(
                    null,
                    static (core, _) => core < 2 ? true : throw new FormatException("condition"),
                    static (core, r) => Interlocked.Increment(ref r[core]),
                    runs)),
                "InvokeOnEach with a condition that throws on core 2 (a call queued to the blocked core 0 first would keep it waiting)");
        }
        finally
        {
            gate.Open();
        }

        Assert.IsType<FormatException>(error);
        set.InvokeMany(null, static (_, _) => { }, 0); // every core drained
        Assert.Equal([0, 0, 0, 0], runs);

        for (var i = 0; i < 2_000; i++)
        {
            set.Invoke(i % 4, static s => Interlocked.Increment(ref s.runs[s.core]), (runs, core: i % 4));
        }

        Assert.Equal([500, 500, 500, 500], runs);
        Wait.OnThread(set.Dispose, "Dispose after the throwing condition");
        Assert.Equal([500, 500, 500, 500], runs);
    }

    [Fact]
    public async Task C12_awaitable_many_calls_report_the_cores_and_run_the_callers_share_inline()
    {
        using var set = Sets.Create(3);
        var runs = new int[3];
        var mask = new CoreMask();
        Assert.Equal(2, await set.InvokeManyAsync(CoreMask.Of(0, 2), static (core, r) => Interlocked.Increment(ref r[core]), runs, mask));
        Assert.Equal([0, 2], mask.ToArray());
        var fromCore = await set.RunAsync(1, static s => s.set.InvokeOnEachAsync(null, null, static (core, r) => Interlocked.Increment(ref r[core]), s.runs).AsTask(), (set, runs));
        Assert.Equal(3, fromCore);
        Assert.Equal([2, 1, 2], runs);
        Assert.Equal(2, await set.InvokeAnyAsync(CoreMask.Of(2), static (core, _) => core, 0));
    }

    [Fact]
    public async Task C12_an_awaitable_many_call_cancelled_while_queued_ends_canceled_and_runs_nowhere_it_had_not_started()
    {
        using var set = Sets.Create(3);
        var runs = new int[3];
        using var gate1 = Gate.BlockCore(set, 1);
        using var gate2 = Gate.BlockCore(set, 2);
        using var cts = new CancellationTokenSource();
        var task = set.InvokeManyAsync(CoreMask.Of(1, 2), static (core, r) => Interlocked.Increment(ref r[core]), runs, cancellationToken: cts.Token).AsTask();
        cts.Cancel();
        gate1.Open();
        gate2.Open();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        set.InvokeMany(null, static (_, _) => { }, 0);
        Assert.Equal([0, 0, 0], runs);
    }
}
