using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// Claimable, coalescing work that is never lost: the kernel's <c>struct irq_work</c>. "Schedule this once;
/// however often it is asked for before it runs, it runs once, and it always sees the latest request."
/// </summary>
/// <remarks>
/// <para>State (flags word, kernel names): free (0) → claimed (Pending|Busy, by the queuer) → pending (on a list)
/// → busy (Busy: its function runs) → free, or → claimed again if someone queued it while it ran.</para>
/// <para>Claiming is one atomic OR of Pending|Busy, a full fence in every outcome. If Pending was already set
/// the queue coalesces and answers <see cref="QueueResult.Coalesced"/>: the pending run sees the caller's earlier
/// writes, because the runner clears Pending, takes a full fence, then runs the function. A queue made while the
/// function runs (busy, not pending) succeeds, and the work runs again (the 2012 fix): the claim decides only on the
/// value the atomic operation returns, never on an earlier plain read.</para>
/// <para>The runner clears Busy with a CAS against the value it expects, so a claim made while the function ran
/// survives; it never touches the work after that CAS, so the work may be reused or dropped by its owner as
/// soon as <see cref="IsBusy"/> reads false (but see <see cref="Sync"/>). Do not rely on a function freeing its own
/// work: the runner still owns the flags while the function runs.</para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public abstract partial class DeferredWork
{
    private const int Pending = 1;
    private const int Busy = 2;
    private const int Claimed = Pending | Busy;
    private const int RunUnit = 16;           // runs in progress, counted in bits 4..30 (bits 2, 3: options)
    private const int RunMask = ~(RunUnit - 1);

    private int _flags;
    private readonly WaiterList _syncWaiters = new(); // created up front: the runner reads it before its last touch (O5)

    private protected DeferredWork(CoreSet set, DeferredWorkOptions options, int defaultCore)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentOutOfRangeException.ThrowIfNegative(defaultCore);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(defaultCore, set.Count);
        if ((options & ~(DeferredWorkOptions.Lazy | DeferredWorkOptions.Immediate)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options, "Unknown DeferredWorkOptions bits.");
        }

        if (options == (DeferredWorkOptions.Lazy | DeferredWorkOptions.Immediate))
        {
            throw new ArgumentException("A deferred work cannot be both Lazy and Immediate.", nameof(options));
        }

        Set = set;
        Options = options;
        DefaultCore = defaultCore;
        _flags = (int)options; // option bits live in the word like the kernel's, and never change
        Entry = new DeferredEntry(this);
    }

    /// <summary>The set whose cores run this work.</summary>
    public CoreSet Set { get; }

    /// <summary>Lazy / immediate.</summary>
    public DeferredWorkOptions Options { get; }

    /// <summary>The core <see cref="Queue"/> uses when called from a thread outside <see cref="Set"/>.</summary>
    public int DefaultCore { get; }

    /// <summary>True while queued and not yet started (the kernel's <c>irq_work_is_pending</c>). A snapshot.</summary>
    public bool IsPending => (Volatile.Read(ref _flags) & Pending) != 0; // acquire; pairs with the runner's Interlocked.Add that clears Pending in Execute (and fresh in a caller's polling loop)

    /// <summary>True from a claim until the run that claim caused has finished (the kernel's <c>irq_work_is_busy</c>). A snapshot.</summary>
    public bool IsBusy => (Volatile.Read(ref _flags) & Busy) != 0; // acquire; pairs with the CAS that clears Busy in Execute

    /// <summary>The inbox node the work travels as (it is on at most one list or inbox at a time).</summary>
    internal DeferredEntry Entry { get; }

    /// <summary>The user function, for diagnostics.</summary>
    internal abstract Delegate DiagnosticFunction { get; }

    /// <summary>The user state, for diagnostics.</summary>
    internal abstract object? StateForDiagnostics { get; }

    /// <summary>How many threads wait in <see cref="Sync"/> (diagnostics and tests; a racy snapshot).</summary>
    internal int SyncWaiterCount => _syncWaiters.Count;

    internal bool IsLazy => (Options & DeferredWorkOptions.Lazy) != 0;

    internal bool IsImmediate => (Options & DeferredWorkOptions.Immediate) != 0;

    private string DebuggerDisplay => $"DeferredWork {(IsPending ? "pending" : IsBusy ? "busy" : "idle")} ({Options})";

    /// <summary>
    /// Queues the work on the caller's core (the kernel's <c>irq_work_queue</c>); from a thread outside the set,
    /// on <see cref="DefaultCore"/>.
    /// </summary>
    /// <returns><see cref="QueueResult.Queued"/>, <see cref="QueueResult.Coalesced"/> (already pending: the pending run
    /// sees your earlier writes), or <see cref="QueueResult.Offline"/>.</returns>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public QueueResult Queue()
    {
        var core = CoreContext.CurrentCore;
        return core is not null && core.Set == Set ? QueueLocal(core) : QueueOn(DefaultCore);
    }

    /// <summary>Queues the work on <paramref name="core"/> (the kernel's <c>irq_work_queue_on</c>): it travels in that core's inbox.</summary>
    /// <returns>As <see cref="Queue"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public QueueResult QueueOn(int core)
    {
        var target = Set.GetCore(core);
        if (target.IsCurrentThread)
        {
            return QueueLocal(target);
        }

        if (!target.IsOnline) // the online check comes before the claim, so an Offline answer never needs an undo (§5.4)
        {
            CoreSetTelemetry.Offline(target, EntryKind.DeferredWork); // D3: cold path only
            return QueueResult.Offline;
        }

        if (!TryClaim())
        {
            Set.Telemetry.Coalesced(target, this);
            return QueueResult.Coalesced;
        }

        Set.Telemetry.DeferredQueued(target, this);
        if (!target.Enqueue(Entry))
        {
            RunDetached(); // the set was disposed after our check: run it here, nothing is lost
        }

        return QueueResult.Queued;
    }

    private QueueResult QueueLocal(Core core)
    {
        Set.ThrowIfDisposed();
        if (!core.IsOnline) // §6: an offline core answers Offline to everyone, itself included (as CallSingle does)
        {
            CoreSetTelemetry.Offline(core, EntryKind.DeferredWork); // D3: cold path only
            return QueueResult.Offline;
        }

        if (!TryClaim())
        {
            Set.Telemetry.Coalesced(core, this);
            return QueueResult.Coalesced;
        }

        Set.Telemetry.DeferredQueued(core, this);
        if (IsImmediate && !CoreContext.InHandler)
        {
            core.RunLocalNow(Entry);
        }
        else
        {
            core.EnqueueLocal(Entry);
        }

        return QueueResult.Queued;
    }

    /// <summary>
    /// Waits until the work is not busy (the kernel's <c>irq_work_sync</c>): a run in progress or pending when called
    /// has finished. Spins briefly, then blocks until the runner wakes it (§5.6).
    /// </summary>
    /// <remarks>Like the kernel's, it shows only that at some instant the work was not busy; a concurrent queue may
    /// make it busy again at once.</remarks>
    /// <exception cref="InvalidOperationException">Called from handler context (it could wait for itself).</exception>
    public void Sync()
    {
        CoreContext.ThrowIfHandler("DeferredWork.Sync");
        if (!IsBusy)
        {
            return;
        }

        // A core waiting for work queued on its own lists must run them: it is the only thread that can.
        var core = CoreContext.CurrentCore;
        if (core is not null && core.Set == Set)
        {
            core.RunLocalDeferredNow();
        }

        var parker = CoreContext.CurrentParker;
        _syncWaiters.Add(parker); // full fence before the re-check of Busy in the wait; pairs with Execute's CAS
        try
        {
            Waiter.WaitUntil(new NotBusy(this), Set, -1, Entry);
        }
        finally
        {
            _syncWaiters.Remove(parker);
        }
    }

    /// <summary>O6: one atomic OR of Pending|Busy, a full fence in every outcome. True if this caller claimed it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryClaim()
    {
        if (FaultInjection.Enabled && TryFaultyClaim(out var claimed)) // test-only emulation (Faults/DeferredWork.Faults.cs)
        {
            return claimed;
        }

        return TryClaimAtomic();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryClaimAtomic() =>
        // O6: the returned old value alone decides (never an earlier plain read, the 2012 fix), and the OR is a full
        // fence even when Pending was already set (unlike a failed CAS, the 2019 fix). Pairs with the runner's
        // atomic add clearing Pending in Execute (a full fence): either we see Pending clear and queue the
        // work again, or the running function sees everything we wrote before this call.
        (Interlocked.Or(ref _flags, Claimed) & Pending) == 0;

    /// <summary>The run (the kernel's <c>irq_work_single</c>), on the core, in handler context.</summary>
    internal void Execute(Core core)
    {
        if (FaultInjection.Enabled && TryFaultyExecute()) // test-only emulations (Faults/DeferredWork.Faults.cs)
        {
            return;
        }

        // Clear Pending and count this run in one atomic add (the runner owns Pending while the work is queued, so
        // subtracting it clears it). Atomic, because a run of the same work on another core may end meanwhile (C7:
        // runs on two cores overlap) and its CAS in EndRun changes the count. O6: the add is the full fence between
        // clearing Pending and running the function: the function's loads cannot pass the store. Pairs with the
        // claimer's Interlocked.Or (see TryClaim).
        var flags = Interlocked.Add(ref _flags, RunUnit - Pending);
        var waiters = _syncWaiters; // O5: read before the last touch in EndRun
        try
        {
            Invoke();
        }
        finally
        {
            EndRun(flags, waiters);
        }
    }

    /// <summary>Ends one run: <paramref name="flags"/> is the word as this run's add left it.</summary>
    private void EndRun(int flags, WaiterList waiters)
    {
        // One CAS takes the run out of the count and clears Busy only if no other run is in progress and nobody
        // claimed the work while it ran (then Pending is set and the claimer queues it): so IsBusy and Sync stay true
        // until the last overlapping run ends (C7), and a claim made meanwhile survives (O6). A failed CAS (a claim, or
        // another run starting or ending) retries from the value it saw; this run is still counted until the CAS
        // succeeds, so the work is still ours to touch. Full fence; pairs with the claimer's Interlocked.Or, and
        // (Dekker, E5) with Sync's WaiterList.Add (Interlocked.Increment) before its re-read of Busy: either that
        // re-read sees Busy clear, or our read of waiters.Count below, made after this CAS, sees the waiter and wakes
        // it. After the successful CAS the work is never touched again (O5); waiters is a separate object read before.
        var expected = flags;
        int next;
        while (true)
        {
            next = expected - RunUnit;
            if ((next & (Pending | RunMask)) == 0)
            {
                next &= ~Busy;
            }

            var seen = Interlocked.CompareExchange(ref _flags, next, expected);
            if (seen == expected)
            {
                break;
            }

            expected = seen;
        }

        if ((next & Busy) == 0 && waiters.Count != 0)
        {
            waiters.WakeAll();
        }
    }

    /// <summary>Runs the claimed work on the calling thread (the set was disposed under us).</summary>
    internal void RunDetached()
    {
        try
        {
            Execute(null!);
        }
        catch (Exception ex)
        {
            Set.ReportFunctionException(null, ex, DiagnosticFunction);
        }
    }

    /// <summary>Calls the user function.</summary>
    private protected abstract void Invoke();

    private readonly struct NotBusy(DeferredWork work) : IWaitCondition
    {
        public bool IsSatisfied => !work.IsBusy;
    }
}
