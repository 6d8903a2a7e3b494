using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Tracing;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// The <c>CrossCore</c> EventSource (D2): the kernel's <c>csd:*</c> and <c>ipi:*</c> tracepoints for .NET tools
/// (<c>dotnet-trace collect --providers CrossCore</c> for the rare events, <c>CrossCore:0x7F:5</c> for all, an in-process <see cref="EventListener"/>).
/// </summary>
/// <remarks>
/// <para>Every event carries the set's name first (<c>set</c>), so a listener can follow one set among several.</para>
/// <para>Cost when nobody listens: the hottest sites (call queued in <c>Core.Enqueue</c>, function entry/exit in
/// <c>Core.RunEntry</c>) read one cached switch (<see cref="CallsOn"/>, <see cref="RunEventsOn"/>); every other site
/// reads <see cref="EventSource.IsEnabled()"/>. No string is computed and nothing is allocated unless the precise
/// level and keyword are enabled. The switches are refreshed by every command (enable, update, disable) and, because
/// the runtime calls <see cref="OnEventCommand"/> before it clears its own state on a disable, also by the first event
/// site that finds them stale (<see cref="RefreshSwitches"/>).</para>
/// <para>Event ids, levels and keywords are part of the contract (docs/DIAGNOSTICS.md); never renumber.</para>
/// </remarks>
[EventSource(Name = "CrossCore")]
internal sealed class CrossCoreEventSource : EventSource
{
    /// <summary>Event ids. Never renumber: tools and saved traces key on them.</summary>
    internal static class Ids
    {
        public const int CallQueued = 1;
        public const int FunctionEntry = 2;
        public const int FunctionExit = 3;
        public const int WakeupSent = 4;
        public const int WakeupAvoided = 5;
        public const int InboxBatch = 6;
        public const int DeferredQueued = 7;
        public const int DeferredCoalesced = 8;
        public const int DeferredRun = 9;
        public const int StuckCall = 10;
        public const int Unstuck = 11;
        public const int CoreOffline = 12;
        public const int CoreOnline = 13;
        public const int FunctionException = 14;
    }

    /// <summary>Keywords: a listener takes only what it needs.</summary>
    public static class Keywords
    {
        /// <summary>Call queued (every inbox push) and inbox batches detached: Verbose.</summary>
        public const EventKeywords Calls = (EventKeywords)0x1;

        /// <summary>Function entry/exit around every call and deferred function: Verbose, the highest volume.</summary>
        public const EventKeywords Functions = (EventKeywords)0x2;

        /// <summary>Wake-ups sent to parked cores and avoided because the core was polling: Verbose.</summary>
        public const EventKeywords Wakeups = (EventKeywords)0x4;

        /// <summary>Deferred work queued, coalesced and run: Verbose.</summary>
        public const EventKeywords Deferred = (EventKeywords)0x8;

        // 0x10, 0x20 and 0x40 were Stuck, Hotplug and Exceptions. Those events (StuckCall, Unstuck, CoreOffline,
        // CoreOnline, FunctionException) now have no keyword, so that a session that names the provider without
        // keywords (`dotnet-trace collect --providers CrossCore`: keywords 0, level Informational) gets them: EventPipe
        // passes an event when its keywords are 0 or intersect the session's mask. Never reuse these three values.
    }

    /// <summary>The keywords of the rare events that every session at Informational (or Warning) gets: none.</summary>
    public const EventKeywords DefaultEvents = EventKeywords.None;

    private const string TrimmingJustification = "Every payload is a primitive or a string: nothing to serialize by reflection.";

    // Declared before Log: Log's constructor may run OnEventCommand, which takes this lock.
    private static readonly object s_switchLock = new();

    /// <summary>The one instance.</summary>
    public static readonly CrossCoreEventSource Log = new();

    // Cached switches for the two hottest sites. No initializers: Log's constructor may already have set them (a
    // listener that exists before the source enables it from inside the constructor), and an initializer written
    // after Log's would reset them. Read and written plainly (writes under s_switchLock): a site that sees one on
    // asks the source itself before it writes an event, and one that sees it off a moment late misses one event, as
    // it would had the listener attached a moment later. Every read is in a method that calls out, so none is hoisted.
    private static bool s_callsOn;
    private static bool s_runEventsOn;

    private CrossCoreEventSource()
    {
    }

    /// <summary>True while someone may listen to <see cref="Keywords.Calls"/> at Verbose (call-queued events).</summary>
    public static bool CallsOn
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_callsOn;
    }

    /// <summary>True while someone may listen to <see cref="Keywords.Functions"/> or <see cref="Keywords.Deferred"/> at Verbose.</summary>
    public static bool RunEventsOn
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_runEventsOn;
    }

    /// <summary>
    /// Recomputes the cached switches from the source's current state. Called after every command and by an event
    /// site that found a switch on while its precise check said off (a disable is applied after OnEventCommand).
    /// </summary>
    /// <remarks>The lock makes the last writer the one that read the newest state: an enable changes the state
    /// first and then calls OnEventCommand, which takes the lock after any refresh that read the older state.</remarks>
    [NonEvent]
    public static void RefreshSwitches()
    {
        var log = Log;
        if (log is null)
        {
            return; // called from inside the constructor, before Log is assigned: the next command refreshes
        }

        lock (s_switchLock)
        {
            s_callsOn = log.IsEnabled(EventLevel.Verbose, Keywords.Calls);
            s_runEventsOn = log.IsEnabled(EventLevel.Verbose, Keywords.Functions | Keywords.Deferred);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventCommand(EventCommandEventArgs command)
    {
        if (ReferenceEquals(this, Log))
        {
            RefreshSwitches();
        }
        else
        {
            // The constructor's own enable (a listener existed already): Log is not assigned yet. Compute from this.
            lock (s_switchLock)
            {
                s_callsOn = IsEnabled(EventLevel.Verbose, Keywords.Calls);
                s_runEventsOn = IsEnabled(EventLevel.Verbose, Keywords.Functions | Keywords.Deferred);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Events. Callers check IsEnabled(level, keyword) first and compute strings only then.
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>A request is about to be pushed onto a core's inbox (the kernel's <c>csd_queue_cpu</c>).</summary>
    [Event(Ids.CallQueued, Level = EventLevel.Verbose, Keywords = Keywords.Calls, Message = "{0}: {2} call {3} queued to core {1}")]
    public void CallQueued(string set, int core, string kind, string function) => WriteSIS(Ids.CallQueued, set, core, kind, function);

    /// <summary>A function starts on a core (the kernel's <c>csd_function_entry</c>).</summary>
    [Event(Ids.FunctionEntry, Level = EventLevel.Verbose, Keywords = Keywords.Functions, Message = "{0}: core {1} enters {2} function {3}")]
    public void FunctionEntry(string set, int core, string kind, string function) => WriteSIS(Ids.FunctionEntry, set, core, kind, function);

    /// <summary>A function returned (or threw) on a core (the kernel's <c>csd_function_exit</c>).</summary>
    [Event(Ids.FunctionExit, Level = EventLevel.Verbose, Keywords = Keywords.Functions, Message = "{0}: core {1} leaves {2} function {3}")]
    public void FunctionExit(string set, int core, string kind, string function) => WriteSIS(Ids.FunctionExit, set, core, kind, function);

    /// <summary>A parked core was signalled (the kernel's <c>ipi_send_cpu</c>).</summary>
    [Event(Ids.WakeupSent, Level = EventLevel.Verbose, Keywords = Keywords.Wakeups, Message = "{0}: wake-up sent to core {1}")]
    public void WakeupSent(string set, int core) => WriteSI(Ids.WakeupSent, set, core);

    /// <summary>A wake-up was not needed: the core was polling (the kernel's <c>sched_wake_idle_without_ipi</c>).</summary>
    [Event(Ids.WakeupAvoided, Level = EventLevel.Verbose, Keywords = Keywords.Wakeups, Message = "{0}: wake-up avoided, core {1} was polling")]
    public void WakeupAvoided(string set, int core) => WriteSI(Ids.WakeupAvoided, set, core);

    /// <summary>A core detached its inbox: <paramref name="entries"/> requests in one batch.</summary>
    [Event(Ids.InboxBatch, Level = EventLevel.Verbose, Keywords = Keywords.Calls, Message = "{0}: core {1} detached a batch of {2}")]
    public void InboxBatch(string set, int core, int entries) => WriteSII(Ids.InboxBatch, set, core, entries);

    /// <summary>A deferred work was claimed and queued on a core.</summary>
    [Event(Ids.DeferredQueued, Level = EventLevel.Verbose, Keywords = Keywords.Deferred, Message = "{0}: deferred {2} queued on core {1}")]
    public void DeferredQueued(string set, int core, string function) => WriteSIS(Ids.DeferredQueued, set, core, function);

    /// <summary>A deferred work was already pending: the queue coalesced (answered false).</summary>
    [Event(Ids.DeferredCoalesced, Level = EventLevel.Verbose, Keywords = Keywords.Deferred, Message = "{0}: deferred {2} coalesced on core {1}")]
    public void DeferredCoalesced(string set, int core, string function) => WriteSIS(Ids.DeferredCoalesced, set, core, function);

    /// <summary>A deferred work's function starts on a core.</summary>
    [Event(Ids.DeferredRun, Level = EventLevel.Verbose, Keywords = Keywords.Deferred, Message = "{0}: deferred {2} runs on core {1}")]
    public void DeferredRun(string set, int core, string function) => WriteSIS(Ids.DeferredRun, set, core, function);

    /// <summary>A stuck-call report (D1): "Detected" (sequence 1) or "Continued" (2..).</summary>
    [Event(Ids.StuckCall, Level = EventLevel.Warning,
        Message = "{0}: stuck call #{1} ({2}): waiter core {3} thread {4} waiting {7} ms for core {5} {6}; target {8} {9} for {10} ms, inbox ~{11}, wake-up re-sent {12}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    public unsafe void StuckCall(string set, long id, int sequence, int waitingCore, int waitingThread, int targetCore, string function,
        double waitedMs, string targetActivity, string otherFunction, double targetRunningForMs, int inboxDepth, bool wakeupResent)
    {
        var resent = wakeupResent ? 1 : 0; // a manifest bool is 4 bytes
        fixed (char* pSet = set, pFunction = function, pActivity = targetActivity, pOther = otherFunction)
        {
            var data = stackalloc EventData[13];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &id);
            Val(ref data[2], &sequence);
            Val(ref data[3], &waitingCore);
            Val(ref data[4], &waitingThread);
            Val(ref data[5], &targetCore);
            Str(ref data[6], pFunction, function);
            Val(ref data[7], &waitedMs);
            Str(ref data[8], pActivity, targetActivity);
            Str(ref data[9], pOther, otherFunction);
            Val(ref data[10], &targetRunningForMs);
            Val(ref data[11], &inboxDepth);
            Val(ref data[12], &resent);
            WriteEventCore(Ids.StuckCall, 13, data);
        }
    }

    /// <summary>A reported wait completed ("got unstuck").</summary>
    [Event(Ids.Unstuck, Level = EventLevel.Informational,
        Message = "{0}: stuck call #{1} got unstuck: waiter core {2} thread {3} waited {6} ms for core {4} {5}")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    public unsafe void Unstuck(string set, long id, int waitingCore, int waitingThread, int targetCore, string function, double waitedMs)
    {
        fixed (char* pSet = set, pFunction = function)
        {
            var data = stackalloc EventData[7];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &id);
            Val(ref data[2], &waitingCore);
            Val(ref data[3], &waitingThread);
            Val(ref data[4], &targetCore);
            Str(ref data[5], pFunction, function);
            Val(ref data[6], &waitedMs);
            WriteEventCore(Ids.Unstuck, 7, data);
        }
    }

    /// <summary>A core was taken offline.</summary>
    [Event(Ids.CoreOffline, Level = EventLevel.Informational, Message = "{0}: core {1} offline")]
    public void CoreOffline(string set, int core) => WriteSI(Ids.CoreOffline, set, core);

    /// <summary>A core was brought back online.</summary>
    [Event(Ids.CoreOnline, Level = EventLevel.Informational, Message = "{0}: core {1} online")]
    public void CoreOnline(string set, int core) => WriteSI(Ids.CoreOnline, set, core);

    /// <summary>A function threw. <paramref name="rethrown"/>: a waiting caller re-throws it; otherwise it was reported (§6).</summary>
    [Event(Ids.FunctionException, Level = EventLevel.Warning,
        Message = "{0}: function {2} threw {3} on core {1}: {4} (re-thrown to a waiter: {5})")]
    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    public unsafe void FunctionException(string set, int core, string function, string exceptionType, string message, bool rethrown)
    {
        var flag = rethrown ? 1 : 0; // a manifest bool is 4 bytes
        fixed (char* pSet = set, pFunction = function, pType = exceptionType, pMessage = message)
        {
            var data = stackalloc EventData[6];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &core);
            Str(ref data[2], pFunction, function);
            Str(ref data[3], pType, exceptionType);
            Str(ref data[4], pMessage, message);
            Val(ref data[5], &flag);
            WriteEventCore(Ids.FunctionException, 6, data);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // WriteEventCore helpers: primitive payloads without the params object[] overload (no boxing, trimming-safe).
    // ------------------------------------------------------------------------------------------------------------

    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    [NonEvent]
    private unsafe void WriteSI(int id, string set, int core)
    {
        fixed (char* pSet = set)
        {
            var data = stackalloc EventData[2];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &core);
            WriteEventCore(id, 2, data);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    [NonEvent]
    private unsafe void WriteSII(int id, string set, int core, int value)
    {
        fixed (char* pSet = set)
        {
            var data = stackalloc EventData[3];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &core);
            Val(ref data[2], &value);
            WriteEventCore(id, 3, data);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    [NonEvent]
    private unsafe void WriteSIS(int id, string set, int core, string text)
    {
        fixed (char* pSet = set, pText = text)
        {
            var data = stackalloc EventData[3];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &core);
            Str(ref data[2], pText, text);
            WriteEventCore(id, 3, data);
        }
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026:RequiresUnreferencedCode", Justification = TrimmingJustification)]
    [NonEvent]
    private unsafe void WriteSIS(int id, string set, int core, string kind, string function)
    {
        fixed (char* pSet = set, pKind = kind, pFunction = function)
        {
            var data = stackalloc EventData[4];
            Str(ref data[0], pSet, set);
            Val(ref data[1], &core);
            Str(ref data[2], pKind, kind);
            Str(ref data[3], pFunction, function);
            WriteEventCore(id, 4, data);
        }
    }

    private static unsafe void Str(ref EventData data, char* text, string value)
    {
        data.DataPointer = (nint)text;
        data.Size = (value.Length + 1) * sizeof(char); // null-terminated UTF-16, as the manifest's string type expects
    }

    private static unsafe void Val<T>(ref EventData data, T* value)
        where T : unmanaged
    {
        data.DataPointer = (nint)value;
        data.Size = sizeof(T);
    }
}
