namespace CrossCore;

/// <summary>
/// A core's side of hotplug and shutdown (C8, C9, §5.4): the offline transition it completes once it has drained, the
/// dormant sleep of an offline core, the final drain of a stopping one and the exit handshake with a racing Offline.
/// </summary>
internal sealed partial class Core
{
    private OfflineTransition? _offline;
    private int _exited; // 1 once the thread has drained for the last time (see Exit)

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
            if (_lists.HasLazy)
            {
                RunList(_lists.TakeLazy());
                worked = true;
            }

            worked |= RunTaskWork();
            if (!worked)
            {
                return;
            }
        }
    }

    /// <summary>Dispose: drain, close the lanes (C9), close the inbox in the same exchange as the last detach, drain what
    /// that returned and what the lanes still hold.</summary>
    private void FinalDrain()
    {
        DrainEverything();
        CloseLanes();
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
        Volatile.Read(ref _offline)?.Complete(); // acquire; pairs with the Volatile.Write in BeginOffline
    }
}
