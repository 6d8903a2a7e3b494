using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// One core: a dedicated thread with an inbox, a task queue, deferred-work lists, an idle state and a record of
/// what it is running. The kernel's per-CPU state plus the idle loop and <c>__flush_smp_call_function_queue</c>.
/// </summary>
/// <remarks>
/// <para>One type in five files: this one (state, the sender's side: <see cref="Enqueue"/> and <see cref="Kick"/>),
/// <c>Core.Loop.cs</c> (the loop and the batch: the kernel's <c>__flush_smp_call_function_queue</c>),
/// <c>Core.Run.cs</c> (running one entry or list in handler context, with the run record), <c>Core.Idle.cs</c> (poll,
/// then park) and <c>Hotplug/Core.Hotplug.cs</c> (offline, dormancy, drain and stop).</para>
/// <para>Fields under "owned by the core thread" are touched only by this core's thread, so they need no
/// synchronization.</para>
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
    private CoreWorkLists _lists;

    // ---- the run record, read by the stuck-call detector on other threads (a seqlock) ----
    private RunRecord _run;

    // ---- lifecycle (the offline transition and the exit handshake: Hotplug/Core.Hotplug.cs) ----
    private volatile bool _stopRequested;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Core(CoreSet set, int id)
    {
        Set = set;
        Id = id;
        Counters = new CoreCounters();
        Lanes = new CoreLanes(set.Options.SenderLaneCount);
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

    /// <summary>True if the inbox, a lane or the raised deferred list has work (what a waiting core drains, O8).</summary>
    public bool HasWaitDrainableWork
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Inbox.HasWork || _lists.HasRaised || (Lanes.Used != 0 && HasLaneWork);
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

    /// <summary>A consistent snapshot of what the core is running, for the stuck-call detector (D1); see <see cref="RunRecord.TryRead"/>.</summary>
    public bool ReadRunRecord(out InboxEntry? entry, out Delegate? function, out TimeSpan runningFor) =>
        _run.TryRead(out entry, out function, out runningFor);

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

    /// <summary>Completes when the thread has drained and left its loop.</summary>
    public Task Stopped => _stopped.Task;

    /// <summary>Waits for the thread to finish.</summary>
    public void Join() => _thread.Join();

    /// <summary>The managed id of the core's thread.</summary>
    public int ManagedThreadId => _thread.ManagedThreadId;

    /// <summary>True if the calling thread is this core's thread.</summary>
    public bool IsCurrentThread => CoreContext.CurrentCore == this;
}
