using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// The one place where the runtime reports what happens (D2, D3): counters, the <c>CrossCore</c> EventSource and the
/// <c>CrossCore</c> Meter. Every method is cheap when nobody listens: counters are plain or interlocked adds on the
/// paths they count, and events and histogram records are behind enabled checks; names are computed only for an
/// event that is really written.
/// </summary>
/// <remarks>
/// Shape of every event site: one predictable branch on a cached or single-field switch
/// (<see cref="CrossCoreEventSource.CallsOn"/>, <see cref="CrossCoreEventSource.RunEventsOn"/>,
/// <see cref="EventSource.IsEnabled()"/>, <see cref="System.Diagnostics.Metrics.Instrument.Enabled"/>), then a
/// non-inlined method that checks the precise level and keyword and builds the payload.
/// </remarks>
internal sealed class CoreSetTelemetry
{
    /// <summary>The kind names used in events and tags, indexed by <see cref="EntryKind"/>.</summary>
    private static readonly string[] s_kindNames = ["sync", "async", "deferred", "task", "awaitable"];

    /// <summary>The kind of a function run inline on the caller's own core (C6).</summary>
    public const string InlineKind = "inline";

    private readonly CoreSet _set;
    private readonly string _name;

    public CoreSetTelemetry(CoreSet set)
    {
        _set = set;
        _name = set.Options.Name;
        Metrics = CrossCoreMetrics.For(set.Options.MeterFactory);
    }

    /// <summary>The instruments this set reports to: the static Meter's, or those on the options' factory's Meter.</summary>
    public CrossCoreMetrics Metrics { get; }

    /// <summary>"sync", "async", "deferred", "task" or "awaitable".</summary>
    public static string KindName(EntryKind kind) => (uint)kind < (uint)s_kindNames.Length ? s_kindNames[(int)kind] : "unknown";

    private static CrossCoreEventSource Log => CrossCoreEventSource.Log;

    // ------------------------------------------------------------------------------------------------------------
    // Calls
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A request is about to be pushed onto <paramref name="target"/>'s inbox (the kernel's <c>csd_queue_cpu</c>,
    /// which is also emitted before the push). The caller checked <see cref="CrossCoreEventSource.CallsOn"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void CallQueued(Core target, InboxEntry entry)
    {
        if (Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Calls))
        {
            Log.CallQueued(_name, target.Id, KindName(entry.Kind), DiagnosticNames.Of(entry.DiagnosticFunction));
        }
        else
        {
            CrossCoreEventSource.RefreshSwitches(); // the switch was stale (a disable is applied after OnEventCommand)
        }
    }

    /// <summary>A request was refused because its target is offline (§6).</summary>
    public static void Offline(Core target, EntryKind kind) => target.Counters.AddOffline(kind);

    /// <summary>A Busy answer from TryPost.</summary>
    public static void Busy(Core target) => target.Counters.AddBusy();

    /// <summary>A producer's wake-up decision that did something (sent or avoided).</summary>
    public void Wake(Core target, WakeResult result)
    {
        if (result == WakeResult.Sent)
        {
            target.Counters.AddWakeSent();
        }
        else
        {
            target.Counters.AddWakeAvoided();
        }

        if (Log.IsEnabled())
        {
            WakeEvent(target, result);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WakeEvent(Core target, WakeResult result)
    {
        if (!Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Wakeups))
        {
            return;
        }

        if (result == WakeResult.Sent)
        {
            Log.WakeupSent(_name, target.Id);
        }
        else
        {
            Log.WakeupAvoided(_name, target.Id);
        }
    }

    /// <summary>A detached batch of <paramref name="entries"/> entries (the core already counted it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Batch(Core core, int entries)
    {
        if (Metrics.BatchSize.Enabled)
        {
            RecordBatch(entries);
        }

        if (Log.IsEnabled())
        {
            BatchEvent(core, entries);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RecordBatch(int entries) => Metrics.BatchSize.Record(entries, new KeyValuePair<string, object?>("set", _name));

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void BatchEvent(Core core, int entries)
    {
        if (Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Calls))
        {
            Log.InboxBatch(_name, core.Id, entries);
        }
    }

    /// <summary>Records a sync call's latency (the caller read the clock only because the histogram was enabled).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void SyncCallLatency(long startTimestamp) => Metrics.RecordSyncLatency(_name, startTimestamp);

    // ------------------------------------------------------------------------------------------------------------
    // Functions
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// Function entry (the kernel's <c>csd_function_entry</c>), and a deferred run. Called on the core before the
    /// entry runs, when <see cref="CrossCoreEventSource.RunEventsOn"/> is set. Returns what the exit event needs, so
    /// the exit never touches the entry (it may be released and reused by then, O5).
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public FunctionTrace FunctionEntry(Core core, InboxEntry entry)
    {
        var functions = Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Functions);
        var deferred = entry.Kind == EntryKind.DeferredWork && Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Deferred);
        if (!functions && !deferred)
        {
            if (!Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Deferred))
            {
                CrossCoreEventSource.RefreshSwitches(); // the switch was stale
            }

            return default;
        }

        var name = DiagnosticNames.Of(entry.DiagnosticFunction);
        if (deferred)
        {
            Log.DeferredRun(_name, core.Id, name);
        }

        if (!functions)
        {
            return default;
        }

        var kind = KindName(entry.Kind);
        Log.FunctionEntry(_name, core.Id, kind, name);
        return new FunctionTrace(kind, name);
    }

    /// <summary>Function entry for a call run inline on the caller's own core (C6; the kernel traces those too).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public FunctionTrace InlineFunctionEntry(Core core, Delegate function)
    {
        if (!Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Functions))
        {
            if (!Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Deferred))
            {
                CrossCoreEventSource.RefreshSwitches(); // the switch was stale
            }

            return default;
        }

        var name = DiagnosticNames.Of(function);
        Log.FunctionEntry(_name, core.Id, InlineKind, name);
        return new FunctionTrace(InlineKind, name);
    }

    /// <summary>Function exit (the kernel's <c>csd_function_exit</c>), after the function returned or threw.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    public void FunctionExit(Core core, in FunctionTrace trace)
    {
        if (trace.Kind is not null && Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Functions))
        {
            Log.FunctionExit(_name, core.Id, trace.Kind, trace.Function!);
        }
    }

    /// <summary>A function threw. <paramref name="waited"/>: a sync caller will re-throw it.</summary>
    public void FunctionThrew(int core, Exception exception, Delegate? function, bool waited)
    {
        if (core >= 0 && core < _set.Count)
        {
            _set.GetCoreUnchecked(core).Counters.Exceptions++; // core == the calling core's thread: a plain add (CoreCounters)
        }

        if (Log.IsEnabled(EventLevel.Warning, CrossCoreEventSource.DefaultEvents))
        {
            Log.FunctionException(_name, core, DiagnosticNames.Of(function), exception.GetType().FullName ?? exception.GetType().Name, exception.Message ?? string.Empty, waited);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Deferred work
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>A coalesced deferred-work queue. <paramref name="work"/> names the function in the event, if given.</summary>
    public void Coalesced(Core target, DeferredWork? work = null)
    {
        target.Counters.AddCoalesced();
        if (Log.IsEnabled())
        {
            CoalescedEvent(target, work);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void CoalescedEvent(Core target, DeferredWork? work)
    {
        if (Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Deferred))
        {
            Log.DeferredCoalesced(_name, target.Id, work is null ? "(unknown)" : DiagnosticNames.Of(work.DiagnosticFunction));
        }
    }

    /// <summary>A deferred work claimed and queued (locally or into the target's inbox).</summary>
    public void DeferredQueued(Core target, DeferredWork work)
    {
        if (Log.IsEnabled())
        {
            DeferredQueuedEvent(target, work);
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void DeferredQueuedEvent(Core target, DeferredWork work)
    {
        if (Log.IsEnabled(EventLevel.Verbose, CrossCoreEventSource.Keywords.Deferred))
        {
            Log.DeferredQueued(_name, target.Id, DiagnosticNames.Of(work.DiagnosticFunction));
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Stuck calls, hotplug
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>A stuck-call report or "got unstuck" (the detector counted it).</summary>
    public void StuckReport(StuckCallReport report)
    {
        if (report.IsUnstuck)
        {
            if (Log.IsEnabled(EventLevel.Informational, CrossCoreEventSource.DefaultEvents))
            {
                Log.Unstuck(_name, report.Id, report.WaitingCore, report.WaitingThreadId, report.TargetCore,
                    DiagnosticNames.Of(report.Function), report.Waited.TotalMilliseconds);
            }
        }
        else if (Log.IsEnabled(EventLevel.Warning, CrossCoreEventSource.DefaultEvents))
        {
            Log.StuckCall(_name, report.Id, report.Sequence, report.WaitingCore, report.WaitingThreadId, report.TargetCore,
                DiagnosticNames.Of(report.Function), report.Waited.TotalMilliseconds, StuckCallReport.ActivityName(report.TargetActivity),
                report.OtherFunction is null ? string.Empty : DiagnosticNames.Of(report.OtherFunction),
                report.TargetRunningFor.TotalMilliseconds, report.InboxDepth, report.WakeupResent);
        }
    }

    /// <summary>A core went offline or online.</summary>
    public void Hotplug(Core core, bool online)
    {
        if (Log.IsEnabled(EventLevel.Informational, CrossCoreEventSource.DefaultEvents))
        {
            if (online)
            {
                Log.CoreOnline(_name, core.Id);
            }
            else
            {
                Log.CoreOffline(_name, core.Id);
            }
        }
    }
}

/// <summary>What a function-exit event needs, captured at entry (the entry itself may be reused by then, O5).</summary>
internal readonly struct FunctionTrace(string kind, string function)
{
    /// <summary>The kind name, or null when no exit event is owed.</summary>
    public string? Kind { get; } = kind;

    /// <summary>The function's name.</summary>
    public string? Function { get; } = function;

    /// <summary>True if an exit event is owed.</summary>
    public bool On => Kind is not null;
}
