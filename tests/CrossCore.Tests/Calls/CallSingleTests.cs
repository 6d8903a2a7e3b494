using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>C1, C6, O2, O4 and the §6 rows for single calls.</summary>
public sealed class CallSingleTests
{
    private sealed class Box
    {
        public int In;
        public int Out;
        public int RanOn = -1;
        public bool SawIn;
    }

    [Fact]
    public void C1_wait_runs_on_the_target_sees_the_callers_write_and_publishes_its_own_O2_O4()
    {
        using var set = Sets.Create(3);
        var box = new Box();
        for (var i = 0; i < 20_000; i++)
        {
            var core = i % 3;
            box.In = i;          // O2: written before the call, must be seen by the function
            box.SawIn = false;
            set.Invoke(core, static s =>
            {
                s.b.SawIn = s.b.In == s.i;
                s.b.RanOn = s.set.CurrentCore;
                s.b.Out = s.i;   // O4: must be seen by the caller after the wait
            }, (b: box, i, set));
            Assert.True(box.SawIn);
            Assert.Equal(core, box.RanOn);
            Assert.Equal(i, box.Out);
        }
    }

    [Fact]
    public void C1_wait_rethrows_the_functions_exception_and_the_core_keeps_serving()
    {
        using var set = Sets.Create(2);
        var ex = Assert.Throws<InvalidTimeZoneException>(() =>
            set.Invoke(1, static _ => throw new InvalidTimeZoneException("boom"), 0));
        Assert.Equal("boom", ex.Message);
        Assert.Contains(nameof(C1_wait_rethrows_the_functions_exception_and_the_core_keeps_serving), ex.StackTrace!); // the throw site is kept
        var ran = false;
        set.Invoke(1, () => ran = true);
        Assert.True(ran);
    }

    [Fact]
    public void C1_no_wait_calls_from_one_sender_to_one_core_run_in_order()
    {
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        var seen = new List<int>();
        for (var i = 0; i < 50_000; i++)
        {
            set.Post(1, static s => s.seen.Add(s.i), (seen, i));
        }

        // A last no-wait call as the flush (not a sync call: sync entries run first in their batch, §5.1, and could
        // overtake these); no-wait calls from one sender to one core run in order, so when it ran, all had.
        var done = new bool[1];
        set.Post(1, static d => Volatile.Write(ref d[0], true), done);
        Wait.Until(() => Volatile.Read(ref done[0]), "the flush call");
        Assert.Equal(Enumerable.Range(0, 50_000), seen);
    }

    [Fact]
    public void C6_a_call_to_the_callers_own_core_runs_inline_at_once()
    {
        using var set = Sets.Create(2);
        var result = set.RunAsync(1, () =>
        {
            var threadBefore = Environment.CurrentManagedThreadId;
            var inline = -1;
            set.Post(1, () => inline = Environment.CurrentManagedThreadId);
            return (threadBefore, inline, handler: CoreSet.IsInHandlerContext);
        });
        Wait.For(result);
        Assert.Equal(result.Result.threadBefore, result.Result.inline); // ran before CallSingle returned, on this thread
        Assert.False(result.Result.handler);
    }

    [Fact]
    public void Section6_bad_core_id_throws_ArgumentOutOfRange_and_queues_nothing()
    {
        using var set = Sets.Create(2);
        var ran = 0;
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Invoke(2, () => ran++));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.Invoke(-1, () => ran++));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.TryPost(5, new CallDescriptor<int>(_ => ran++, 0)));
        Assert.Throws<ArgumentOutOfRangeException>(() => set.InvokeMany(CoreMask.Of(0, 7), (_, _) => ran++, 0));
        set.InvokeMany(null, static (_, _) => { }, 0); // flush: anything queued would have run by now
        Assert.Equal(0, ran);
    }

    [Fact]
    public void Section6_null_function_or_descriptor_throws_ArgumentNull()
    {
        using var set = Sets.Create(1);
        Assert.Throws<ArgumentNullException>(() => set.Invoke(0, (Action<int>)null!, 0));
        Assert.Throws<ArgumentNullException>(() => set.TryPost(0, null!));
        Assert.Throws<ArgumentNullException>(() => set.InvokeMany(null, (Action<int, int>)null!, 0));
        Assert.Throws<ArgumentNullException>(() => new CallDescriptor<int>(null!, 0));
        Assert.Throws<ArgumentNullException>(() => { _ = set.RunAsync(0, (Action)null!); });
    }

    [Fact]
    public void Section6_use_after_dispose_throws_ObjectDisposed()
    {
        var set = Sets.Create(2);
        set.Dispose();
        set.Dispose(); // idempotent
        Assert.Throws<ObjectDisposedException>(() => set.Invoke(0, () => { }));
        Assert.Throws<ObjectDisposedException>(() => set.TryPost(0, new CallDescriptor<int>(_ => { }, 0)));
        Assert.Throws<ObjectDisposedException>(() => set.InvokeMany(null, (_, _) => { }, 0));
        Assert.Throws<ObjectDisposedException>(() => set.InvokeOnEach(null, null, (_, _) => { }, 0));
        Assert.Throws<ObjectDisposedException>(() => set.InvokeAny(null, (_, _) => { }, 0));
        Assert.Throws<ObjectDisposedException>(() => { _ = set.RunAsync(0, () => { }); });
        Assert.Throws<ObjectDisposedException>(() => set.TakeOffline(0));
        Assert.Throws<ObjectDisposedException>(() => set.BringOnline(0));
        Assert.Throws<ObjectDisposedException>(() => { var pending = set.InvokeAsync(0, () => { }); return pending.IsCompleted; });
        Assert.Throws<ObjectDisposedException>(() => set.Post(0, () => { }));
        Assert.Throws<ObjectDisposedException>(() => new DeferredWork<int>(set, _ => { }, 0).Queue());
    }
}
