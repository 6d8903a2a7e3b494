using System.Collections;
using System.Reflection;
using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Awaitable calls (C12): the start-or-cancel decision and the pooled entry's two owners.</summary>
public static class AwaitableScenarios
{
    /// <summary>
    /// How many schedules of <see cref="CancellationRacingTheStart"/> ended with the result ([0]) and Canceled ([1]):
    /// the test checks both happened (the race was explored). Reset by the test; counts across schedules.
    /// </summary>
    public static readonly int[] Outcomes = new int[2];

    /// <summary>
    /// An <c>InvokeAsync</c> to core 1 whose token another thread cancels just as core 1 comes to start it: the call
    /// is queued right behind a descriptor whose function tells the cancelling thread to go (core 1 is held in task
    /// context until both are queued, so they are taken in one batch and run in that order, §5.1). The cancel then
    /// lands before the core's start, between its steps, while the function runs, or after it completed. Checks (C12,
    /// C13): the task ends exactly once, with the result if the core started the call and <c>Canceled</c> otherwise; a
    /// cancelled call never runs (not then, not at Dispose); once both owners (the core, the awaiter) have let the
    /// pooled entry go, it is back in the pool exactly once, with no reference left and in its idle phase; no
    /// exception escapes on a core (a second completion would).
    /// </summary>
    /// <remarks>
    /// The outcome is read only after the cancelling thread has returned from <c>Cancel</c>: reading it disposes the
    /// token registration, which waits inside the framework (uncontrolled by Coyote) for a callback still running on
    /// another thread.
    /// </remarks>
    public static void CancellationRacingTheStart()
    {
        var set = NewSet(2, e => Check(false, $"an exception escaped on core {e.Core}: {e.Exception.GetType().Name}: {e.Exception.Message}"));
        var probe = new Probe(set);
        var held = new Counter();
        var release = new Counter();
        _ = set.RunAsync(1, () =>
        {
            held.Increment();
            WaitUntil(release.Reached(1)); // task context may block: core 1 serves nothing meanwhile
        });
        WaitUntil(held.Reached(1));

        using var cts = new CancellationTokenSource();
        var go = new Counter();
        var canceller = Start(() =>
        {
            WaitUntil(go.Reached(1));
            cts.Cancel();
        });
        Check(set.TryPost(1, new CallDescriptor<Counter>(static c => c.Increment(), go)) == CallResult.Ok, "a fresh descriptor was not queued");
#pragma warning disable CA2012 // the task is looked at (its source, IsCompleted) and its result read once, never awaited twice
        var task = set.InvokeAsync(1, static p => p.Run(), probe, cts.Token);
#pragma warning restore CA2012
        var entry = AwaitablePoolProbe.EntryOf(task);
        Check(entry is not null, "an InvokeAsync with a live token did not take a pooled entry");
        release.Increment();
        canceller.Join();
        WaitUntil(new ValueTaskIsCompleted<int>(task).Evaluate); // no help: only the core or the token completes it

        bool cancelled;
        try
        {
            Check(task.Result == 42, "the call completed with a result it did not return");
            cancelled = false;
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
        }

        Check(Volatile.Read(ref probe.Runs) == (cancelled ? 0 : 1),
            $"the task ended {(cancelled ? "Canceled" : "with the result")} and the function ran {probe.Runs} times");

        // Task-context work queued behind the call runs after core 1 is done with it (the core's own release included),
        // on core 1's thread: it reads that thread's pool cache.
        var coreCached = 0;
        var done = new Counter();
        _ = set.RunAsync(1, () =>
        {
            coreCached = AwaitablePoolProbe.CachedOnThisThread(entry);
            done.Increment();
        });
        WaitUntil(done.Reached(1));
        if (entry is not null)
        {
            var inPool = coreCached + AwaitablePoolProbe.CachedOnThisThread(entry) + AwaitablePoolProbe.InSharedQueue(entry);
            Check(inPool == 1, $"after both owners let it go, the pooled entry is in the pool {inPool} times (exactly once)");
            Check(AwaitablePoolProbe.References(entry) == 0, $"the pooled entry keeps {AwaitablePoolProbe.References(entry)} references after both owners let it go");
            Check(AwaitablePoolProbe.Phase(entry) == 0, $"the pooled entry is left in phase {AwaitablePoolProbe.Phase(entry)}, not idle");
        }

        set.Dispose(); // runs everything accepted; a cancelled entry is skipped
        Check(Volatile.Read(ref probe.Runs) == (cancelled ? 0 : 1), $"after Dispose the function ran {probe.Runs} times (cancelled: {cancelled})");
        Interlocked.Increment(ref Outcomes[cancelled ? 1 : 0]);
    }

    /// <summary>
    /// The two owners of a cancelled entry let it go at the same time: core 1 is held in task context while an
    /// <c>InvokeAsync</c> to it is queued and cancelled; then core 1 is let go (it skips the cancelled entry and drops
    /// its reference) while the awaiter reads the outcome (and drops its own). Checks (C12, C13): the task is
    /// Canceled, the function never runs, and the entry is back in the pool exactly once, with no reference left.
    /// </summary>
    public static void OwnersOfACancelledCallLetGoAtOnce()
    {
        var set = NewSet(2, e => Check(false, $"an exception escaped on core {e.Core}: {e.Exception.GetType().Name}: {e.Exception.Message}"));
        var probe = new Probe(set);
        var held = new Counter();
        var release = new Counter();
        _ = set.RunAsync(1, () =>
        {
            held.Increment();
            WaitUntil(release.Reached(1)); // task context may block: core 1 serves nothing meanwhile
        });
        WaitUntil(held.Reached(1));
        using var cts = new CancellationTokenSource();
#pragma warning disable CA2012 // the task is looked at (its source, IsCompleted) and its result read once, never awaited twice
        var task = set.InvokeAsync(1, static p => p.Run(), probe, cts.Token);
#pragma warning restore CA2012
        var entry = AwaitablePoolProbe.EntryOf(task);
        Check(entry is not null, "an InvokeAsync with a live token did not take a pooled entry");
        cts.Cancel(); // core 1 is held: the token wins
        Check(task.IsCompleted, "the token won and the task did not end at once");
        release.Increment(); // core 1 now skips the entry and drops its reference, while we drop ours below
        var cancelled = false;
        try
        {
            _ = task.Result;
        }
        catch (OperationCanceledException)
        {
            cancelled = true;
        }

        Check(cancelled, "the token won, and the task did not end Canceled");
        var coreCached = 0;
        var done = new Counter();
        _ = set.RunAsync(1, () =>
        {
            coreCached = AwaitablePoolProbe.CachedOnThisThread(entry);
            done.Increment();
        });
        WaitUntil(done.Reached(1));
        var inPool = coreCached + AwaitablePoolProbe.CachedOnThisThread(entry) + AwaitablePoolProbe.InSharedQueue(entry!);
        Check(inPool == 1, $"after both owners let it go, the pooled entry is in the pool {inPool} times (exactly once)");
        Check(AwaitablePoolProbe.References(entry!) == 0, $"the pooled entry keeps {AwaitablePoolProbe.References(entry!)} references after both owners let it go");
        set.Dispose();
        Check(Volatile.Read(ref probe.Runs) == 0, $"a cancelled call ran {probe.Runs} times");
    }

    /// <summary>The state of the scenario's calls: its type keys a pool of awaitable entries used by nothing else.</summary>
    internal sealed class Probe(CoreSet set)
    {
        public int Runs;

        public int Run()
        {
            Check(set.CurrentCore == 1, $"the call ran on core {set.CurrentCore}, not on its target 1");
            Interlocked.Increment(ref Runs);
            return 42;
        }
    }

    /// <summary>Looks into the pool of <c>AwaitableCall&lt;Probe, int&gt;</c> (private fields, by reflection).</summary>
    private static class AwaitablePoolProbe
    {
        private const BindingFlags Private = BindingFlags.NonPublic | BindingFlags.Static;
        private const BindingFlags PrivateInstance = BindingFlags.NonPublic | BindingFlags.Instance;

        /// <summary>The pooled entry behind the task, or null if the task did not come from the pool.</summary>
        public static object? EntryOf(ValueTask<int> task)
        {
            object boxed = task;
            var source = boxed.GetType().GetField("_obj", PrivateInstance)!.GetValue(boxed);
            return source is AwaitableCall<Probe, int> ? source : null;
        }

        /// <summary>1 if the calling thread's one-entry cache holds <paramref name="entry"/>.</summary>
        public static int CachedOnThisThread(object? entry) =>
            entry is not null && ReferenceEquals(typeof(AwaitablePool<Probe, int>).GetField("t_cached", Private)!.GetValue(null), entry) ? 1 : 0;

        /// <summary>How many times the shared queue holds <paramref name="entry"/>.</summary>
        public static int InSharedQueue(object entry)
        {
            var queue = (IEnumerable)typeof(AwaitablePool<Probe, int>).GetField("s_shared", Private)!.GetValue(null)!;
            var n = 0;
            foreach (var e in queue)
            {
                n += ReferenceEquals(e, entry) ? 1 : 0;
            }

            return n;
        }

        public static int References(object entry) => (int)entry.GetType().GetField("_refs", PrivateInstance)!.GetValue(entry)!;

        public static int Phase(object entry) => (int)entry.GetType().GetField("_phase", PrivateInstance)!.GetValue(entry)!;
    }
}
