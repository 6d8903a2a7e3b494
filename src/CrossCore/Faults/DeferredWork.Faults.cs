namespace CrossCore;

// The fault emulations of DeferredWork's claim and run (test-only, see FaultInjection). A plain comment: an XML
// summary here would merge into the public type's documentation.
public abstract partial class DeferredWork
{
    /// <summary>
    /// <see cref="FaultInjection.RacyDeferredClaim"/>: seed 2's pre-fix claim, where an early plain read decides, so a
    /// claim made while the work runs (busy, not pending) is lost. Returns false if it leaves the decision to the real
    /// claim (the switch is off, or the plain read saw the work free).
    /// </summary>
    private bool TryFaultyClaim(out bool claimed)
    {
        claimed = false;
        return FaultInjection.RacyDeferredClaim && (_flags & Claimed) != 0;
    }

    /// <summary>
    /// <see cref="FaultInjection.ReorderDeferredClear"/> (the function runs before Pending is cleared: the widest
    /// reordering a missing O6 fence permits) and <see cref="FaultInjection.SkipDeferredFence"/> (Pending cleared by a
    /// plain read and store, no fence). Returns false if both are off (the real run happens).
    /// </summary>
    private bool TryFaultyExecute()
    {
        var reorder = FaultInjection.ReorderDeferredClear;
        var skipFence = FaultInjection.SkipDeferredFence;
        if (!reorder && !skipFence)
        {
            return false;
        }

        if (reorder)
        {
            Invoke();
        }

        int flags;
        if (skipFence)
        {
            // The emulated bug: the clearing of Pending as a release store after an acquire read, no full fence; they
            // pair (too weakly) with the claimer's Interlocked.Or.
            flags = Volatile.Read(ref _flags) + RunUnit - Pending;
            Volatile.Write(ref _flags, flags);
        }
        else
        {
            flags = Interlocked.Add(ref _flags, RunUnit - Pending); // as in Execute (O6)
        }

        var waiters = _syncWaiters;
        try
        {
            if (!reorder)
            {
                Invoke();
            }
        }
        finally
        {
            EndRun(flags, waiters);
        }

        return true;
    }
}
