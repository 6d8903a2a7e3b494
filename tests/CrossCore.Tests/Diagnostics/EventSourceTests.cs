using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Ids = CrossCore.CrossCoreEventSource.Ids;
using Keywords = CrossCore.CrossCoreEventSource.Keywords;

namespace CrossCore.Tests.DiagnosticsTests; // not ".Diagnostics": that would shadow CrossCore.Diagnostics in sibling test namespaces

/// <summary>D2: an EventListener sees exactly the events of a known workload.</summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class EventSourceTests
{
    private static readonly Action<int> s_nop = static _ => { };

    private static CoreSet NewSet(string name, TimeSpan? stuckTimeout = null, Action<StuckCallReport>? onStuck = null, int senderLanes = CoreLanes.Count) => new(new CoreSetOptions
    {
        CoreCount = 2,
        SenderLaneCount = senderLanes,
        Name = name,
        StuckCallTimeout = stuckTimeout ?? TimeSpan.FromSeconds(5),
        OnStuckCall = onStuck ?? (static _ => { }),
        OnFunctionException = static _ => { },
    });

    private static string Kind(EventWrittenEventArgs e) => (string)CrossCoreListener.Field(e, "kind")!;

    private static int Core(EventWrittenEventArgs e) => (int)CrossCoreListener.Field(e, "core")!;

    [Fact]
    public void The_source_is_named_CrossCore_and_builds_its_manifest()
    {
        Assert.Equal("CrossCore", CrossCoreEventSource.Log.Name);
        Assert.Null(CrossCoreEventSource.Log.ConstructionException);
        var manifest = EventSource.GenerateManifest(typeof(CrossCoreEventSource), "CrossCore.dll");
        Assert.NotNull(manifest);
        foreach (var name in new[] { "CallQueued", "FunctionEntry", "FunctionExit", "WakeupSent", "WakeupAvoided", "InboxBatch",
                     "DeferredQueued", "DeferredCoalesced", "DeferredRun", "StuckCall", "Unstuck", "CoreOffline", "CoreOnline", "FunctionException" })
        {
            Assert.Contains($"\"{name}\"", manifest, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(0)] // every call through the inbox
    [InlineData(CoreLanes.Count)] // the default: a fresh thread's calls through its lane, in no inbox batch
    public void Sync_calls_give_exact_queued_entry_exit_batch_and_wakeup_events(int senderLanes)
    {
        const int n = 100;
        var name = Diag.UniqueName("ev-sync");
        using var listener = new CrossCoreListener(name, EventKeywords.All);
        using var set = NewSet(name, senderLanes: senderLanes);
        var before = set.GetStatistics();

        Diag.Join(Diag.OnThread(() =>
        {
            for (var i = 0; i < n; i++)
            {
                set.Invoke(1, s_nop, i);
            }
        }), "the caller");

        // The exit event is written after the release that let the caller return: wait for the last one.
        Diag.Until(() => listener.Count(Ids.FunctionExit) == n, "the last function-exit event");
        Diag.Until(() => set.GetStatistics().SyncCallsRun - before.SyncCallsRun == n, "the core to count its last run"); // counted after the exit event
        var after = set.GetStatistics();

        Assert.Empty(listener.Errors);
        Assert.Equal(n, listener.Count(Ids.CallQueued, e => Kind(e) == "sync" && Core(e) == 1));
        Assert.Equal(n, listener.Count(Ids.CallQueued));
        Assert.Equal(n, listener.Count(Ids.FunctionEntry, e => Kind(e) == "sync" && Core(e) == 1));
        Assert.Equal(n, listener.Count(Ids.FunctionExit, e => Kind(e) == "sync" && Core(e) == 1));
        Assert.All(listener.Events.Where(e => e.EventId is Ids.CallQueued or Ids.FunctionEntry),
            e => Assert.Equal(DiagnosticNames.Of(s_nop), CrossCoreListener.Field(e, "function")));

        // Each entry runs between its own entry and exit: entry/exit alternate on the core.
        var run = listener.Events.Where(e => e.EventId is Ids.FunctionEntry or Ids.FunctionExit).Select(e => e.EventId).ToArray();
        Assert.Equal(Enumerable.Range(0, 2 * n).Select(i => i % 2 == 0 ? Ids.FunctionEntry : Ids.FunctionExit), run);

        // Batches and wake-ups: exactly one event per counted decision.
        Assert.Equal(after.Batches - before.Batches, listener.Count(Ids.InboxBatch));
        var inInbox = senderLanes == 0 ? n : 0;
        Assert.Equal(n - inInbox, after.LaneCallsRun - before.LaneCallsRun);
        Assert.Equal(inInbox, listener.Events.Where(e => e.EventId == Ids.InboxBatch).Sum(e => (int)CrossCoreListener.Field(e, "entries")!));
        Assert.Equal(after.WakeupsSent - before.WakeupsSent, listener.Count(Ids.WakeupSent, e => Core(e) == 1));
        Assert.Equal(after.WakeupsAvoided - before.WakeupsAvoided, listener.Count(Ids.WakeupAvoided, e => Core(e) == 1));
        Assert.True(listener.Count(Ids.WakeupSent) + listener.Count(Ids.WakeupAvoided) <= n, "at most one wake-up decision per push");
    }

    [Fact]
    public void Every_kind_of_request_is_traced_with_its_kind()
    {
        var name = Diag.UniqueName("ev-kinds");
        using var listener = new CrossCoreListener(name, Keywords.Calls | Keywords.Functions);
        using var set = NewSet(name);

        // 10 no-wait calls (async kind), 10 descriptor calls (async), 10 task items, 1 inline call from core 1 to itself.
        for (var i = 0; i < 10; i++)
        {
            set.Post(1, s_nop, i);
        }

        var ran = new int[1];
        var descriptor = new CallDescriptor<int[]>(static r => Interlocked.Increment(ref r[0]), ran);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, descriptor));
            Diag.Until(() => !descriptor.IsInFlight, "the descriptor to be released");
        }

        for (var i = 0; i < 10; i++)
        {
            Diag.Join(set.RunAsync(1, () => { }), "a task item");
        }

        Diag.Join(set.RunAsync(1, () => set.Invoke(1, s_nop, 0)), "an inline call");
        Diag.Until(() => Volatile.Read(ref ran[0]) == 10 && listener.Count(Ids.FunctionExit) == 21, "all exits"); // 20 async + 1 inline; task items have no entry/exit

        Assert.Equal(20, listener.Count(Ids.CallQueued, e => Kind(e) == "async"));
        Assert.Equal(11, listener.Count(Ids.CallQueued, e => Kind(e) == "task"));
        Assert.Equal(0, listener.Count(Ids.CallQueued, e => Kind(e) == "sync")); // the inline call is never queued (C6)
        Assert.Equal(20, listener.Count(Ids.FunctionEntry, e => Kind(e) == "async"));
        Assert.Equal(1, listener.Count(Ids.FunctionEntry, e => Kind(e) == "inline"));
        Assert.Equal(1, listener.Count(Ids.FunctionExit, e => Kind(e) == "inline"));
        Assert.Equal(0, listener.Count(Ids.FunctionEntry, e => Kind(e) == "task")); // task context is not a function call
    }

    [Fact]
    public void Deferred_work_gives_queued_coalesced_and_run_events()
    {
        const int coalesced = 5;
        var name = Diag.UniqueName("ev-deferred");
        using var listener = new CrossCoreListener(name, Keywords.Deferred | Keywords.Functions);
        using var set = NewSet(name);
        var runs = new int[1];
        Action<int[]> flush = static r => Interlocked.Increment(ref r[0]);
        var work = new DeferredWork<int[]>(set, flush, runs);

        using (HoldGate.BlockCore(set, 1))
        {
            Assert.Equal(QueueResult.Queued, work.QueueOn(1));
            for (var i = 0; i < coalesced; i++)
            {
                Assert.Equal(QueueResult.Coalesced, work.QueueOn(1)); // pending behind the gate
            }
        }

        work.Sync();
        Diag.Until(() => listener.Count(Ids.FunctionExit, e => Kind(e) == "deferred") == 1, "the deferred exit event");

        Assert.Equal(1, runs[0]);
        Assert.Equal(1, listener.Count(Ids.DeferredQueued, e => Core(e) == 1));
        Assert.Equal(coalesced, listener.Count(Ids.DeferredCoalesced, e => Core(e) == 1));
        Assert.Equal(1, listener.Count(Ids.DeferredRun, e => Core(e) == 1));
        Assert.Equal(DiagnosticNames.Of(flush), CrossCoreListener.Field(listener.Events.First(e => e.EventId == Ids.DeferredRun), "function"));
        Assert.Equal(DiagnosticNames.Of(flush), CrossCoreListener.Field(listener.Events.First(e => e.EventId == Ids.DeferredQueued), "function"));
        Assert.Equal(1, listener.Count(Ids.FunctionEntry, e => Kind(e) == "deferred"));
        Assert.Equal(1, listener.Count(Ids.FunctionEntry, e => Kind(e) == "async")); // the gate
    }

    /// <summary>What `dotnet-trace collect --providers CrossCore` asks for (it prints it: keywords 0x0, level Informational).</summary>
    private const EventKeywords PlainProviderKeywords = EventKeywords.None;

    private const EventLevel PlainProviderLevel = EventLevel.Informational;

    /// <summary>An event's own keywords, without the session bits (44-47) the runtime adds for its listeners.</summary>
    private static EventKeywords ProviderKeywords(EventWrittenEventArgs e) => e.Keywords & (EventKeywords)0x0000_0FFF_FFFF_FFFF;

    [Fact]
    public void Every_event_a_plain_provider_request_should_get_has_no_keyword_and_every_verbose_event_has_one()
    {
        // EventPipe (dotnet-trace) passes an event when its level is within the session's and its keywords are 0 or
        // intersect the session's mask; a plain `--providers CrossCore` has mask 0, so it gets exactly the events
        // without keywords. An in-process EventListener reads mask 0 as "all keywords", so the listener tests below
        // cannot see this rule by themselves: this test checks the declarations it depends on.
        var events = typeof(CrossCoreEventSource).GetMethods()
            .Select(m => (m.Name, Attribute: m.GetCustomAttributes(typeof(EventAttribute), false).Cast<EventAttribute>().SingleOrDefault()))
            .Where(e => e.Attribute is not null)
            .ToList();
        Assert.Equal(14, events.Count);
        Assert.All(events, e =>
        {
            if (e.Attribute!.Level <= PlainProviderLevel)
            {
                Assert.True(e.Attribute.Keywords == EventKeywords.None, $"{e.Name} has keywords {e.Attribute.Keywords}: a plain request would miss it");
            }
            else
            {
                Assert.True(e.Attribute.Keywords != EventKeywords.None, $"{e.Name} is Verbose without a keyword: it could not be filtered");
            }
        });
        Assert.Equal(
            ["CoreOffline", "CoreOnline", "FunctionException", "StuckCall", "Unstuck"],
            events.Where(e => e.Attribute!.Level <= PlainProviderLevel).Select(e => e.Name).Order());
    }

    [Fact]
    public void Hotplug_and_exceptions_give_their_events()
    {
        var name = Diag.UniqueName("ev-hotplug");
        using var listener = new CrossCoreListener(name, PlainProviderKeywords, PlainProviderLevel);
        using var set = NewSet(name);

        Assert.Equal(HotplugResult.Done, set.TakeOffline(1));
        Assert.Equal(HotplugResult.Done, set.BringOnline(1));

        Action<int> boom = static _ => throw new InvalidOperationException("boom");
        Assert.Throws<InvalidOperationException>(() => set.Invoke(1, boom, 0));
        var descriptor = new CallDescriptor<int>(boom, 0);
        Assert.Equal(CallResult.Ok, set.TryPost(1, descriptor));
        Diag.Until(() => listener.Count(Ids.FunctionException) == 2, "two exception events");

        Assert.Equal(1, listener.Count(Ids.CoreOffline, e => Core(e) == 1));
        Assert.Equal(1, listener.Count(Ids.CoreOnline, e => Core(e) == 1));
        var rethrown = listener.Events.Where(e => e.EventId == Ids.FunctionException).Select(e => (bool)CrossCoreListener.Field(e, "rethrown")!).Order();
        Assert.Equal([false, true], rethrown);
        Assert.All(listener.Events.Where(e => e.EventId == Ids.FunctionException), e =>
        {
            Assert.Equal(typeof(InvalidOperationException).FullName, CrossCoreListener.Field(e, "exceptionType"));
            Assert.Equal("boom", CrossCoreListener.Field(e, "message"));
            Assert.Equal(DiagnosticNames.Of(boom), CrossCoreListener.Field(e, "function"));
            Assert.Equal(EventLevel.Warning, e.Level);
        });
        Assert.Equal(0, listener.Count(Ids.CallQueued)); // level filter: no Verbose event at Informational
        Assert.All(listener.Events, e => Assert.Equal(EventKeywords.None, ProviderKeywords(e))); // so EventPipe's mask 0 passes them too
    }

    [Fact]
    public void Stuck_and_unstuck_events_carry_the_report()
    {
        var name = Diag.UniqueName("ev-stuck");
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var listener = new CrossCoreListener(name, PlainProviderKeywords, PlainProviderLevel);
        using var set = NewSet(name, TimeSpan.FromMilliseconds(100), reports.Enqueue);
        using var gate = new HoldGate();
        var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));
        Diag.Until(() => listener.Count(Ids.StuckCall) >= 1, "a stuck event");
        gate.Open();
        Diag.Join(caller, "the released call");
        Diag.Until(() => listener.Count(Ids.Unstuck) == 1, "the unstuck event");

        var stuck = listener.Events.First(e => e.EventId == Ids.StuckCall);
        var report = reports.First(r => !r.IsUnstuck);
        Assert.Equal(EventLevel.Warning, stuck.Level);
        Assert.Equal(report.Id, (long)CrossCoreListener.Field(stuck, "id")!);
        Assert.Equal(1, (int)CrossCoreListener.Field(stuck, "sequence")!);
        Assert.Equal(1, (int)CrossCoreListener.Field(stuck, "targetCore")!);
        Assert.Equal(-1, (int)CrossCoreListener.Field(stuck, "waitingCore")!);
        Assert.Equal(DiagnosticNames.Of(HoldGate.Hold), CrossCoreListener.Field(stuck, "function"));
        Assert.Equal(nameof(TargetActivity.RunningThisCall), CrossCoreListener.Field(stuck, "targetActivity"));
        Assert.False((bool)CrossCoreListener.Field(stuck, "wakeupResent")!);
        Assert.True((double)CrossCoreListener.Field(stuck, "waitedMs")! >= 100);
        var unstuck = listener.Events.First(e => e.EventId == Ids.Unstuck);
        Assert.Equal(report.Id, (long)CrossCoreListener.Field(unstuck, "id")!);
        Assert.Equal(EventLevel.Informational, unstuck.Level);
        Assert.Equal(reports.Count(r => !r.IsUnstuck), listener.Count(Ids.StuckCall));
        Assert.All(listener.Events, e => Assert.Equal(EventKeywords.None, ProviderKeywords(e)));
    }

    [Fact]
    public void The_hot_path_switches_follow_the_listeners()
    {
        var name = Diag.UniqueName("ev-switch");
        using var set = NewSet(name);

        using (var stuckOnly = new CrossCoreListener(name, PlainProviderKeywords, PlainProviderLevel))
        {
            Assert.False(CrossCoreEventSource.CallsOn);
            Assert.False(CrossCoreEventSource.RunEventsOn);
            set.Invoke(1, s_nop, 0);
            Assert.Empty(stuckOnly.Events);
        }

        using (var calls = new CrossCoreListener(name, Keywords.Calls))
        {
            Assert.True(CrossCoreEventSource.CallsOn);
            Assert.False(CrossCoreEventSource.RunEventsOn);
            set.Invoke(1, s_nop, 0);
            Assert.Equal(1, calls.Count(Ids.CallQueued));
        }

        using (var functions = new CrossCoreListener(name, Keywords.Functions))
        {
            Assert.True(CrossCoreEventSource.RunEventsOn);
            set.Invoke(1, s_nop, 0);
            Diag.Until(() => functions.Count(Ids.FunctionExit) == 1, "the exit event");
        }

        // The runtime applies a disable after OnEventCommand, so the switches may read stale for a moment; the first
        // event site that finds the source off turns them off again.
        set.Invoke(1, s_nop, 0);
        set.Invoke(1, s_nop, 0);
        Assert.False(CrossCoreEventSource.Log.IsEnabled());
        Assert.False(CrossCoreEventSource.CallsOn);
        Assert.False(CrossCoreEventSource.RunEventsOn);
    }
}
