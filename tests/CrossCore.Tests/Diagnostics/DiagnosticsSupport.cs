using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace CrossCore.Tests.DiagnosticsTests; // not ".Diagnostics": that would shadow CrossCore.Diagnostics in sibling test namespaces

/// <summary>
/// Diagnostics tests share process-wide state (EventListeners, MeterListeners, the fail-fast hook, the cached event
/// switches), so they run alone. Counts stay exact because every listener filters on a set name unique to its test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DiagnosticsCollection
{
    /// <summary>The collection name.</summary>
    public const string Name = "Diagnostics";
}

/// <summary>Helpers for the diagnostics tests.</summary>
internal static class Diag
{
    /// <summary>How long a test waits for something that must happen before calling it a hang (never a speed bound).</summary>
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(60);

    /// <summary>A set name no other test uses, so listeners can filter on it.</summary>
    public static string UniqueName(string what) => $"diag-{what}-{Guid.NewGuid():N}";

    /// <summary>Waits (bounded, as a hang detector) until <paramref name="condition"/> holds; fails the test otherwise.</summary>
    public static void Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Hang;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Hang: {what} did not happen within {Hang.TotalSeconds:F0} s.");
            }

            Thread.Sleep(1);
        }
    }

    /// <summary>Waits for a report matching <paramref name="match"/> in <paramref name="reports"/>.</summary>
    public static StuckCallReport WaitForReport(ConcurrentQueue<StuckCallReport> reports, Func<StuckCallReport, bool> match, string what)
    {
        StuckCallReport? found = null;
        Until(() => (found = reports.FirstOrDefault(match)) is not null, what);
        return found!;
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread (a waiter outside the set).</summary>
    public static Task OnThread(Action action) => Task.Factory.StartNew(action, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>Waits for a task as a hang detector and surfaces its exception.</summary>
    public static void Join(Task task, string what)
    {
        if (!task.Wait(Hang))
        {
            Assert.Fail($"Hang: {what} did not finish within {Hang.TotalSeconds:F0} s.");
        }
    }
}

/// <summary>Holds a core inside a function until opened (blocks a core on purpose).</summary>
internal sealed class HoldGate : IDisposable
{
    private readonly ManualResetEventSlim _open = new(false);
    private volatile bool _entered;

    /// <summary>The function that holds: pass it with this gate as the state.</summary>
    public static readonly Action<HoldGate> Hold = static g => g.HoldHere();

    /// <summary>True once a function is inside.</summary>
    public bool Entered => _entered;

    /// <summary>Lets the held function return.</summary>
    public void Open() => _open.Set();

    /// <summary>Blocks <paramref name="core"/> of <paramref name="set"/> with an async descriptor and returns once it holds.</summary>
    public static HoldGate BlockCore(CoreSet set, int core)
    {
        var gate = new HoldGate();
        var descriptor = new CallDescriptor<HoldGate>(Hold, gate);
        Assert.Equal(CallResult.Ok, set.TryPost(core, descriptor));
        Diag.Until(() => gate.Entered, "the gate function to start on the core");
        return gate;
    }

    /// <summary>Opens the gate (the event is left to the GC: the held function may still be waking from it).</summary>
    public void Dispose() => _open.Set();

    private void HoldHere()
    {
        _entered = true;
        _open.Wait();
    }
}

/// <summary>An EventListener for the <c>CrossCore</c> source that keeps only the events of one set.</summary>
internal sealed class CrossCoreListener : EventListener
{
    private readonly string _set;
    private readonly EventKeywords _keywords;
    private readonly EventLevel _level;
    private readonly bool _ready;
    private EventSource? _pending;

    public CrossCoreListener(string set, EventKeywords keywords, EventLevel level = EventLevel.Verbose)
    {
        _set = set;
        _keywords = keywords;
        _level = level;
        _ready = true;
        _ = CrossCoreEventSource.Log; // make sure it exists (its creation calls OnEventSourceCreated below)
        if (_pending is { } source)
        {
            EnableEvents(source, _level, _keywords);
        }
    }

    /// <summary>The events of the set, in the order they were written.</summary>
    public ConcurrentQueue<EventWrittenEventArgs> Events { get; } = new();

    /// <summary>Events with <paramref name="id"/> whose payload satisfies <paramref name="match"/>.</summary>
    public int Count(int id, Func<EventWrittenEventArgs, bool>? match = null) => Events.Count(e => e.EventId == id && (match is null || match(e)));

    /// <summary>A payload field by name.</summary>
    public static object? Field(EventWrittenEventArgs e, string name) => e.Payload![e.PayloadNames!.IndexOf(name)];

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        // Called from the base constructor for sources that exist already: this constructor has not run yet.
        if (eventSource.Name != "CrossCore")
        {
            return;
        }

        if (_ready)
        {
            EnableEvents(eventSource, _level, _keywords);
        }
        else
        {
            _pending = eventSource;
        }
    }

    /// <summary>Errors the source reported (event id 0), e.g. a bad manifest.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == 0)
        {
            Errors.Enqueue(eventData.Payload is { Count: > 0 } p ? p[0]?.ToString() ?? "?" : "?");
            return;
        }

        if (eventData.Payload is { Count: > 0 } payload && payload[0] is string set && set == _set)
        {
            Events.Enqueue(eventData);
        }
    }
}
