using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// The idle-state word of a core or waiting thread plus the kernel object that wakes it: the kernel's idle
/// task flags (TIF_POLLING_NRFLAG) and the IPI, in one place.
/// </summary>
/// <remarks>
/// <para>States: <see cref="Running"/> (doing work; will look at its inbox before idling), <see cref="Polling"/>
/// (spinning on its inbox: a producer needs to send nothing), <see cref="Parked"/> (blocked or about to block on
/// the event: a producer must signal).</para>
/// <para>The handshake is Dekker's (O7): the owner publishes <see cref="Parked"/> with a full fence and then
/// re-checks its work; a producer publishes its work with a full fence (the inbox CAS or the release exchange)
/// and then reads the state. At least one of the two sees the other, so no wake-up is lost.</para>
/// </remarks>
internal sealed partial class Parker
{
    /// <summary>Doing work.</summary>
    public const int Running = 0;

    /// <summary>Spinning on its work: producers skip the signal.</summary>
    public const int Polling = 1;

    /// <summary>Blocked (or about to block) on the event: producers must signal.</summary>
    public const int Parked = 2;

    // The state word sits alone on its cache line: producers read it on every wake-up decision.
    private PaddedInt32 _state;

    // The kernel object: a monitor created up front (ManualResetEventSlim would allocate its lock lazily on the first
    // blocking wait, which P4's zero-allocation rule forbids on a waiter's hot path) and an auto-reset signal flag
    // guarded by it. A stale signal only makes one later Park return early; every caller re-checks its work.
    private readonly object _gate = new();
    private bool _signalled;

    // Guarded by _gate, like the signal: whether the owner is inside Monitor.Wait, and how many signals were sent. Read by
    // the aligned wait race's verdict (src/CrossCore.Cli/Torture/AlignedWaitRace.cs); they cost nothing on a path that blocks.
    private bool _blocked;
    private int _signals;

    /// <summary>The current state (a racy snapshot for diagnostics and InvokeAny's load estimate).</summary>
    public int State => _state.Value; // plain: an int is read whole, and nothing decided on this snapshot needs ordering

    /// <summary>Announces that the owner is spinning on its work (the kernel's TIF_POLLING_NRFLAG).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void BeginPolling() =>
        // Release store; no full fence needed: while polling the owner keeps re-reading its work, and it takes
        // the full fence in PrepareToPark before it can block (O7).
        Volatile.Write(ref _state.Value, Polling);

    /// <summary>Back to running (after polling found work, or after waking).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void SetRunning() => Volatile.Write(ref _state.Value, Running); // release; producers that read Running send nothing, and the owner re-checks its work before it idles again

    /// <summary>
    /// First half of parking: publishes <see cref="Parked"/> with a full fence. The caller
    /// must then re-check its work and either <see cref="CancelPark"/> or <see cref="Park"/>.
    /// </summary>
    public void PrepareToPark()
    {
        if (FaultInjection.Enabled && TryFaultyPrepareToPark()) // test-only emulation (Faults/Parker.Faults.cs)
        {
            return;
        }

        // O7: full fence. Orders the store of Parked before the owner's re-check of its work; pairs with the
        // producer's full fence (inbox CAS in Inbox.Push, or the release Interlocked.Exchange of a sync call)
        // that precedes its read of the state in Wake.
        Interlocked.Exchange(ref _state.Value, Parked);
    }

    /// <summary>The re-check found work: do not block.</summary>
    public void CancelPark() => Volatile.Write(ref _state.Value, Running); // release; a producer that raced us to Running (Wake's CAS) set the signal, which costs one early return of a later Park

    /// <summary>Blocks until signalled or until <paramref name="timeoutMs"/> (-1 = infinite). Returns true if signalled.</summary>
    public bool Park(int timeoutMs)
    {
        bool signalled;
        lock (_gate)
        {
            if (!_signalled && timeoutMs != 0)
            {
                _blocked = true;
                Monitor.Wait(_gate, timeoutMs);
                _blocked = false;
            }

            signalled = _signalled;
            _signalled = false; // auto-reset: consumed under the lock
        }

        Volatile.Write(ref _state.Value, Running); // release; see SetRunning
        return signalled;
    }

    /// <summary>
    /// Called by a producer after publishing work with a full fence. Signals the owner if it is parked.
    /// </summary>
    /// <returns>What was done: a signal sent, a signal avoided because the owner polls, or nothing needed.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public WakeResult Wake()
    {
        // O7: this read is ordered after the producer's publication by the caller's full fence (the push CAS or
        // the release exchange); pairs with the Interlocked.Exchange in PrepareToPark.
        var state = Volatile.Read(ref _state.Value);
        if (state == Polling)
        {
            return WakeResult.Avoided;
        }

        if (state == Parked)
        {
            return WakeSlow();
        }

        return WakeResult.NotNeeded;
    }

    /// <summary>Signals unconditionally (stop, offline, online, stuck-call re-kick).</summary>
    public void ForceWake()
    {
        Interlocked.Exchange(ref _state.Value, Running); // full fence; whatever the caller published before is ordered before the signal
        Signal();
    }

    /// <summary>Sets the signal and wakes the owner if it waits (the IPI).</summary>
    private void Signal()
    {
        lock (_gate)
        {
            _signalled = true;
            _signals++;
            Monitor.Pulse(_gate);
        }
    }

    /// <summary>How many signals were sent to this parker (wake-ups that were needed, and forced ones).</summary>
    internal int SignalsSent
    {
        get
        {
            lock (_gate)
            {
                return _signals;
            }
        }
    }

    /// <summary>
    /// True while the owner is blocked with no signal pending: nothing but a later signal or its timeout will end the
    /// block. Once every producer that owed it a wake-up has finished its <see cref="Wake"/>, this is a lost wake-up.
    /// </summary>
    internal bool IsBlockedWithoutSignal
    {
        get
        {
            lock (_gate)
            {
                return _blocked && !_signalled;
            }
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private WakeResult WakeSlow()
    {
        // Only one producer pays for the kernel call: the one whose CAS takes Parked → Running (full fence).
        if (Interlocked.CompareExchange(ref _state.Value, Running, Parked) == Parked)
        {
            Signal();
            return WakeResult.Sent;
        }

        return WakeResult.NotNeeded;
    }
}
