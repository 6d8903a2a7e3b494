using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// One core: a dedicated thread with an inbox, a task queue, deferred-work lists, an idle state and a record of
/// what it is running. The kernel's per-CPU state plus the idle loop and <c>__flush_smp_call_function_queue</c>.
/// </summary>
/// <remarks>
/// Fields under "owned by the core thread" are touched only by this core's thread, so they need no
/// synchronization. The loop: run the inbox batch (§5.1), run deferred work, run task-context work, then idle:
/// poll, then park (§5.5).
/// </remarks>
[DebuggerDisplay("Core {Id} ({DebuggerState,nq})")]
internal sealed partial class Core
{
    /// <summary>The inbox every cross-core request travels through. Padded to its own cache line.</summary>
    internal Inbox Inbox;

    private PaddedInt32 _online;
    private readonly Thread _thread;
    private readonly CoreSynchronizationContext _syncContext;

    // ---- owned by the core thread ----
    private InboxEntry? _taskHead;
    private InboxEntry? _taskTail;
    private DeferredEntry? _raisedHead;
    private DeferredEntry? _raisedTail;
    private DeferredEntry? _lazyHead;
    private DeferredEntry? _lazyTail;
    private long _lazyDeadline;

    // ---- the run record, read by the stuck-call detector on other threads (seqlock, see BeginRun) ----
    private RunRecord _run;

    // ---- lifecycle ----
    private volatile bool _stopRequested;
    private OfflineTransition? _offline;
    private int _exited; // 1 once the thread has drained for the last time (see Exit)
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Core(CoreSet set, int id)
    {
        Set = set;
        Id = id;
        Counters = new CoreCounters();
        _online.Value = 1;
        _syncContext = new CoreSynchronizationContext(this);
        TaskScheduler = new CoreTaskScheduler(this);
        _thread = new Thread(ThreadMain) { IsBackground = true };
        if (SchedulerSeams.NameCoreThreads)
        {
            _thread.Name = $"{set.Options.Name} core {id}";
        }
    }

    /// <summary>The owning set.</summary>
    public CoreSet Set { get; }

    /// <summary>This core's id, 0..N-1.</summary>
    public int Id { get; }

    /// <summary>The context installed on the core's thread: an await in its task-context work resumes here.</summary>
    public SynchronizationContext SynchronizationContext => _syncContext;

    /// <summary>The scheduler that runs tasks on this core (public through <see cref="CoreSet.GetTaskScheduler"/>).</summary>
    public TaskScheduler TaskScheduler { get; }

    /// <summary>The idle state word and wake-up event.</summary>
    public Parker Parker { get; } = new();

    /// <summary>Counters for statistics and the Meter (D3).</summary>
    public CoreCounters Counters { get; }

    /// <summary>Serializes Offline/Online of this core (C8).</summary>
    public object HotplugLock { get; } = new();

    /// <summary>The hardware CPU this core's thread is pinned to, or -1.</summary>
    public int HardwareCpu { get; private set; } = -1;

    /// <summary>Why pinning failed, if it was asked for and failed.</summary>
    public string? PinningError { get; private set; }

    /// <summary>
    /// The online check (C8, §5.4). A sender reads it before it claims and pushes a request. An offline core is
    /// dormant, not gone: a request that passed this check just before <see cref="CoreSet.TakeOffline"/> flipped it is
    /// pushed anyway, wakes the dormant core (its push found the inbox empty, O3) and runs there, exactly once. So no
    /// request is ever accepted and then stranded, and every check made after Offline returns sees the core
    /// offline. The ordering needed is only that of the flag itself: a stale "online" costs one run on a dormant
    /// core, never a lost request.
    /// </summary>
    public bool IsOnline
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _online.Value) != 0; // acquire; pairs with the Interlocked.Exchange in SetOnline
    }

    /// <summary>True if the inbox or the raised deferred list has work (what a waiting core drains, O8).</summary>
    public bool HasWaitDrainableWork
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Inbox.HasWork || _raisedHead is not null;
    }

    /// <summary>The state shown to users.</summary>
    public CoreState State => !IsOnline ? CoreState.Offline : Parker.State switch
    {
        Parker.Polling => CoreState.Polling,
        Parker.Parked => CoreState.Parked,
        _ => CoreState.Running,
    };

    private string DebuggerState => State.ToString();

    /// <summary>Starts the thread and waits until it is ready (pinned, context installed).</summary>
    public void Start(ManualResetEventSlim ready)
    {
        _thread.Start(ready);
    }

    /// <summary>Flips the online flag. Returns the previous value.</summary>
    public bool SetOnline(bool online) =>
        // Full fence: a clear linearization point for hotplug; pairs with the acquire read in IsOnline.
        Interlocked.Exchange(ref _online.Value, online ? 1 : 0) != 0;

    /// <summary>
    /// Pushes <paramref name="entry"/> and wakes the core if the push found the inbox empty (O3). Returns false if
    /// the inbox is closed (disposed set); the caller then runs the entry itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Enqueue(InboxEntry entry)
    {
        if (CrossCoreEventSource.CallsOn) // D2: one predictable branch when nobody listens
        {
            Set.Telemetry.CallQueued(this, entry); // before the push, as the kernel's csd_queue_cpu: after it the entry may run and be reused (O5)
        }

        var result = Inbox.Push(entry);
        if (result == PushResult.WasEmpty)
        {
            Kick();
        }

        return result != PushResult.Closed;
    }

    /// <summary>
    /// The wake-up owed by a producer whose push found the inbox empty (O3, O7). Its read of the idle state is
    /// ordered after the push by the push CAS. A polling core is not signalled (the kernel's
    /// <c>set_nr_if_polling</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Kick()
    {
        var result = Parker.Wake();
        if (result != WakeResult.NotNeeded)
        {
            Set.Telemetry.Wake(this, result);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // The loop
    // ------------------------------------------------------------------------------------------------------------

    private void ThreadMain(object? ready)
    {
        CoreContext.Bind(this);
        Pin();
        SynchronizationContext.SetSynchronizationContext(_syncContext);
        ((ManualResetEventSlim)ready!).Set();

        try
        {
            while (true)
            {
                var worked = ServiceHandlerWork();
                worked |= RunTaskWork();
                if (worked)
                {
                    continue;
                }

                if (_stopRequested)
                {
                    FinalDrain();
                    return;
                }

                if (!IsOnline)
                {
                    Dormant();
                    continue;
                }

                Idle();
            }
        }
        finally
        {
            Exit();
            CoreContext.Bind(null);
            _stopped.TrySetResult();
        }
    }

    /// <summary>
    /// The thread's last act: completes an offline transition armed before (or during) the final drain, so an
    /// Offline that raced Dispose returns (§6). Its drain is done: everything accepted ran, the core has stopped.
    /// </summary>
    private void Exit()
    {
        // Dekker with BeginOffline (C8, C9). Full fence: orders the store of _exited before the load of _offline
        // below; pairs with BeginOffline's store of _offline, ordered before its load of _exited by the full fence
        // of SetOnline's Interlocked.Exchange. Either we see its transition and complete it, or it sees _exited and
        // completes it itself.
        Interlocked.Exchange(ref _exited, 1);
        Volatile.Read(ref _offline)?.Complete(); // acquire; the pair is the Exchange above
    }

    private void Pin()
    {
        var options = Set.Options;
        if (!options.PinToHardwareCpus)
        {
            return;
        }

        var cpus = options.HardwareCpus;
        var cpu = cpus is { Count: > 0 } ? cpus[Id % cpus.Count] : Id % Environment.ProcessorCount;
        if (Affinity.TryPinCurrentThread(cpu, out var error))
        {
            HardwareCpu = cpu;
        }
        else
        {
            PinningError = error;
        }
    }

    /// <summary>Runs the inbox, raised deferred work and due lazy work. Returns true if it ran anything.</summary>
    private bool ServiceHandlerWork()
    {
        var worked = false;
        var chain = Inbox.DetachAll(out var count, out var syncs);
        if (chain is not null)
        {
            RunBatch(chain, count, syncs);
            worked = true;
        }

        if (_raisedHead is not null)
        {
            RunList(ref _raisedHead, ref _raisedTail);
            worked = true;
        }

        if (_lazyHead is not null && Stopwatch.GetTimestamp() >= _lazyDeadline)
        {
            _lazyDeadline = 0;
            RunList(ref _lazyHead, ref _lazyTail);
            worked = true;
        }

        return worked;
    }

    /// <summary>What a core waiting in task context runs (O8): its inbox and its deferred work, as interrupts would.</summary>
    public void DrainWhileWaiting() => ServiceHandlerWork();

    /// <summary>
    /// Runs one detached batch (FIFO). Pass 1 runs the sync entries ("people are waiting for us", §5.1); pass 2
    /// runs the rest in order. Each entry's <c>Next</c> is read before it runs (O5: it may be released, reused or
    /// re-queued by its function).
    /// </summary>
    private void RunBatch(InboxEntry chain, int count, int syncs)
    {
        MarkRunStart();
        Counters.RecordBatch(count);
        Set.Telemetry.Batch(this, count);

        if (syncs != 0)
        {
            InboxEntry? previous = null;
            var entry = chain;
            while (entry is not null)
            {
                var next = entry.Next; // O5
                if (entry.Kind == EntryKind.Sync)
                {
                    if (previous is null)
                    {
                        chain = next!;
                    }
                    else
                    {
                        previous.Next = next;
                    }

                    RunEntry(entry);
                    Counters.SyncRun++;
                }
                else
                {
                    previous = entry;
                }

                entry = next;
            }

            if (syncs == count)
            {
                return;
            }
        }

        for (var entry = chain; entry is not null;)
        {
            var next = entry.Next; // O5
            switch (entry.Kind)
            {
                case EntryKind.TaskWork:
                    EnqueueTask(entry);
                    break;
                case EntryKind.DeferredWork:
                    var work = (DeferredEntry)entry;
                    if (work.Work.IsLazy && !_stopRequested && IsOnline)
                    {
                        EnqueueLazy(work); // remote lazy work waits for this core's tick (§5.7)
                    }
                    else
                    {
                        RunEntry(entry);
                        Counters.DeferredRun++;
                    }

                    break;
                default:
                    if (FaultInjection.Enabled && TryFaultyRunAsync(entry)) // test-only emulations (Faults/Core.Faults.cs)
                    {
                        break;
                    }

                    RunEntry(entry);
                    Counters.AsyncRun++;
                    break;
            }

            entry = next;
        }
    }

    private void RunList(ref DeferredEntry? head, ref DeferredEntry? tail)
    {
        MarkRunStart();
        var work = head;
        head = null;
        tail = null;
        while (work is not null)
        {
            var next = (DeferredEntry?)work.Next; // O5: read before the run; the work may be re-queued by its function
            work.Next = null;
            RunEntry(work);
            Counters.DeferredRun++;
            work = next;
        }
    }

    /// <summary>Runs one entry in handler context with the run record published for the stuck-call detector.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void RunEntry(InboxEntry entry)
    {
        BeginRun(entry);
        var trace = CrossCoreEventSource.RunEventsOn ? Set.Telemetry.FunctionEntry(this, entry) : default; // D2: reads the entry before it runs (O5)
        CoreContext.EnterHandler();
        try
        {
            entry.Execute(this);
        }
        catch (Exception ex)
        {
            // Async calls and deferred work: the entry was already released (its function never touches it after).
            Set.ReportFunctionException(this, ex, entry.DiagnosticFunction); // cold path: ask the entry (its function outlives the release)
        }
        finally
        {
            CoreContext.ExitHandler();
            EndRun();
            if (trace.On)
            {
                Set.Telemetry.FunctionExit(this, trace); // D2: from what entry captured, never from the entry (O5)
            }
        }
    }

    /// <summary>Runs a function inline in handler context on this core (C6), with the run record.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TResult RunInlineCall<TState, TResult>(CallFunction<TState, TResult> function, TState state)
    {
        MarkRunStart();
        PublishRunStart(null, function.Delegate);
        var trace = CrossCoreEventSource.RunEventsOn ? Set.Telemetry.InlineFunctionEntry(this, function.Delegate!) : default; // D2
        CoreContext.EnterHandler();
        try
        {
            return function.Run(Id, state);
        }
        finally
        {
            CoreContext.ExitHandler();
            EndRun();
            if (trace.On)
            {
                Set.Telemetry.FunctionExit(this, trace); // D2
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void BeginRun(InboxEntry entry) => PublishRunStart(entry, null); // the reader asks the entry for its function

    /// <summary>
    /// Stamps the start of a batch (or of a list run, or an inline call) for the run record. Once per batch, not per
    /// entry: reading the clock per entry cost the async path measurably (P2), and for a stuck-call report "running
    /// since its batch began" is a tight enough upper bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void MarkRunStart() =>
        // Release, read under the seqlock in ReadRunRecord: written while the sequence is even (no function runs),
        // so a reader that sees an odd sequence before and after sees this or a later stamp.
        Volatile.Write(ref _run.SinceMs, Environment.TickCount64);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void PublishRunStart(InboxEntry? entry, Delegate? function)
    {
        // Seqlock write side (D1). The fields are release stores so they cannot become visible before the previous
        // EndRun's release of the sequence (a plain store may pass an earlier release store on ARM; free on x86).
        // The reader then sees either the old even sequence or these fields under the new odd one.
        Volatile.Write(ref _run.Entry, entry);
        Volatile.Write(ref _run.Function, function);
        // Release: the fields are visible before the sequence turns odd; pairs with the acquire reads of the
        // sequence in ReadRunRecord. Odd = running.
        Volatile.Write(ref _run.Sequence, _run.Sequence + 1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void EndRun() =>
        // Seqlock: even = idle (release; pairs with ReadRunRecord). The fields keep their values (no clearing
        // stores on the hot path); the sequence says they are stale.
        Volatile.Write(ref _run.Sequence, _run.Sequence + 1);

    /// <summary>
    /// A consistent snapshot of what the core is running, for the stuck-call detector (D1). Returns false if it
    /// runs no call or deferred function right now (or changed function while we looked, twice).
    /// </summary>
    public bool ReadRunRecord(out InboxEntry? entry, out Delegate? function, out TimeSpan runningFor)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var before = Volatile.Read(ref _run.Sequence); // acquire; pairs with the release in PublishRunStart
            entry = _run.Entry;
            function = _run.Function ?? entry?.DiagnosticFunction; // entries are asked only here, off the hot path
            var since = _run.SinceMs;
            Interlocked.MemoryBarrier(); // orders the field loads before the second sequence load (seqlock read side)
            var after = Volatile.Read(ref _run.Sequence);
            if (before == after)
            {
                runningFor = TimeSpan.FromMilliseconds(Math.Max(0, Environment.TickCount64 - since));
                return (before & 1) != 0;
            }
        }

        entry = null;
        function = null;
        runningFor = default;
        return false;
    }

    /// <summary>An approximate count of the inbox (diagnostics only): walks at most 100 000 links.</summary>
    public int ApproximateInboxDepth()
    {
        var n = 0;
        for (var e = Inbox.PeekForDiagnostics(); e is not null && n < 100_000; e = e.Next)
        {
            n++;
        }

        return n;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Task-context work
    // ------------------------------------------------------------------------------------------------------------

    private void EnqueueTask(InboxEntry work)
    {
        work.Next = null;
        if (_taskTail is null)
        {
            _taskHead = work;
        }
        else
        {
            _taskTail.Next = work;
        }

        _taskTail = work;
    }

    /// <summary>Runs the task items queued so far, serving handler work between items. Returns true if it ran any.</summary>
    private bool RunTaskWork()
    {
        var work = _taskHead;
        if (work is null)
        {
            return false;
        }

        _taskHead = null;
        _taskTail = null;
        while (work is not null)
        {
            var next = work.Next;
            work.Next = null;
            Counters.TaskRun++;
            work.RunInTaskContext();
            work = next;
            if (work is not null)
            {
                ServiceHandlerWork();
            }
        }

        return true;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Deferred work (local lists)
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>Queues claimed deferred work on this core's own lists. Core thread only.</summary>
    public void EnqueueLocal(DeferredEntry work)
    {
        Debug.Assert(CoreContext.CurrentCore == this, "Only the core's own thread touches its local lists.");
        work.Next = null;
        if (work.Work.IsLazy)
        {
            EnqueueLazy(work);
        }
        else
        {
            Append(ref _raisedHead, ref _raisedTail, work);
        }
    }

    /// <summary>Runs claimed deferred work now, in handler context (an immediate local queue). Core thread only.</summary>
    public void RunLocalNow(DeferredEntry work)
    {
        MarkRunStart();
        work.Next = null;
        RunEntry(work);
        Counters.DeferredRun++;
    }

    /// <summary>Runs this core's raised and lazy lists now (a Sync() on the core's own thread). Core thread only.</summary>
    public void RunLocalDeferredNow()
    {
        if (_raisedHead is not null)
        {
            RunList(ref _raisedHead, ref _raisedTail);
        }

        if (_lazyHead is not null)
        {
            _lazyDeadline = 0;
            RunList(ref _lazyHead, ref _lazyTail);
        }
    }

    private void EnqueueLazy(DeferredEntry work)
    {
        work.Next = null;
        if (_lazyHead is null)
        {
            _lazyDeadline = Stopwatch.GetTimestamp() + Set.TickTicks;
        }

        Append(ref _lazyHead, ref _lazyTail, work);
    }

    private static void Append(ref DeferredEntry? head, ref DeferredEntry? tail, DeferredEntry work)
    {
        if (tail is null)
        {
            head = work;
        }
        else
        {
            tail.Next = work;
        }

        tail = work;
    }

    // ------------------------------------------------------------------------------------------------------------
    // Idle, offline, stop
    // ------------------------------------------------------------------------------------------------------------

    private bool HasLocalWork => Inbox.HasWork || _raisedHead is not null || _taskHead is not null;

    private bool ShouldWake => HasLocalWork || _stopRequested || !IsOnline || (_lazyHead is not null && Stopwatch.GetTimestamp() >= _lazyDeadline);

    /// <summary>Poll for the poll duration (announced, O7), then park until woken or the next tick of lazy work (§5.5, §5.7).</summary>
    private void Idle()
    {
        var deadline = Stopwatch.GetTimestamp() + Set.PollTicks;
        var yield = Set.Oversubscribed;
        Parker.BeginPolling();
        for (var i = Set.PollTicks == 0 ? 64 : 1; ; i++) // PollDuration zero: straight to the deadline check, then park
        {
            if (Inbox.HasWork)
            {
                Parker.SetRunning();
                return;
            }

            if ((i & 63) == 0)
            {
                if (_stopRequested || !IsOnline || Stopwatch.GetTimestamp() >= deadline)
                {
                    break;
                }

                if (yield)
                {
                    Thread.Yield();
                }
            }
            else
            {
                Thread.SpinWait(1);
            }
        }

        Parker.PrepareToPark(); // O7: Parked published with a full fence before the re-check
        if (ShouldWake)
        {
            Parker.CancelPark();
            return;
        }

        Counters.Parks++;
        Parker.Park(LazyTimeoutMs());
    }

    private int LazyTimeoutMs()
    {
        if (_lazyHead is null)
        {
            return Timeout.Infinite; // no tick needed: a parked core with nothing lazy uses no CPU (P6)
        }

        var remaining = _lazyDeadline - Stopwatch.GetTimestamp();
        return remaining <= 0 ? 0 : (int)((remaining * 1000 / Stopwatch.Frequency) + 1);
    }

    /// <summary>Offline: drain everything accepted, say so, then sleep until a straggler, Online or stop.</summary>
    private void Dormant()
    {
        DrainEverything();
        Volatile.Read(ref _offline)?.Complete(); // acquire; pairs with the Volatile.Write in BeginOffline

        Parker.PrepareToPark(); // O7, as in Idle
        if (HasLocalWork || _stopRequested || IsOnline)
        {
            Parker.CancelPark();
            return;
        }

        Parker.Park(Timeout.Infinite);
    }

    /// <summary>Runs everything: inbox, every deferred list (lazy without waiting for the tick) and task work.</summary>
    private void DrainEverything()
    {
        while (true)
        {
            var worked = ServiceHandlerWork();
            if (_lazyHead is not null)
            {
                RunList(ref _lazyHead, ref _lazyTail);
                worked = true;
            }

            worked |= RunTaskWork();
            if (!worked)
            {
                return;
            }
        }
    }

    /// <summary>Dispose: drain, close the inbox in the same exchange as the last detach, drain what that returned.</summary>
    private void FinalDrain()
    {
        DrainEverything();
        var last = Inbox.CloseAndDetach(out var count, out var syncs);
        if (last is not null)
        {
            RunBatch(last, count, syncs);
        }

        DrainEverything();
    }

    /// <summary>Arms an offline transition and wakes the core so it drains and goes dormant.</summary>
    /// <param name="waiter">The parker of the thread that will wait for the drain, or null.</param>
    public OfflineTransition BeginOffline(Parker? waiter)
    {
        var transition = new OfflineTransition(waiter);
        Volatile.Write(ref _offline, transition); // release; pairs with the acquire reads in Dormant and Exit
        SetOnline(false); // full fence: orders the store of _offline above before the load of _exited below
        Parker.ForceWake();
        if (Volatile.Read(ref _exited) != 0) // acquire; pairs with the Exchange in Exit (Dekker, see there)
        {
            transition.Complete(); // the thread stopped (Dispose) before it could see this transition: nothing is left to drain
        }

        return transition;
    }

    /// <summary>Brings the core back; completes an offline transition that never got to drain (the core serves again).</summary>
    public void BeginOnline()
    {
        SetOnline(true);
        Interlocked.Exchange(ref _offline, null)?.Complete(); // full fence; pairs with BeginOffline's release write
        Parker.ForceWake();
    }

    /// <summary>Asks the thread to drain and stop.</summary>
    public void RequestStop()
    {
        _stopRequested = true; // volatile write; the ForceWake below is a full fence, and the core re-reads after waking
        Parker.ForceWake();
    }

    /// <summary>Completes when the thread has drained and left its loop.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Waits for the thread to finish.</summary>
    public void Join() => _thread.Join();

    /// <summary>The managed id of the core's thread.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>Runs a claimed entry inline on this core in handler context (C6, from the core's own task context).</summary>
    public void RunInlineEntry(InboxEntry entry)
    {
        RunEntry(entry);
        Counters.AsyncRun++;
    }

    /// <summary>True if the calling thread is this core's thread.</summary>
    public bool IsCurrentThread => CoreContext.CurrentCore == this;
}
