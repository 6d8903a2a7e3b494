namespace CrossCore;

/// <summary>The fault emulations of <see cref="AsyncEntry"/>'s claim and release (test-only, see <see cref="FaultInjection"/>).</summary>
internal abstract partial class AsyncEntry
{
    /// <summary>
    /// <see cref="FaultInjection.RacyDescriptorClaim"/>: seed 1's pre-fix claim, a plain test then a plain store (no
    /// atomicity, no fence). Returns false if the switch is off (the real claim runs).
    /// </summary>
    private bool TryFaultyClaim(out bool claimed)
    {
        claimed = false;
        if (!FaultInjection.RacyDescriptorClaim)
        {
            return false;
        }

        if (_flags == Free)
        {
            Thread.SpinWait(20); // widen the window the way preemption would
            _flags = InFlight;
            claimed = true;
        }

        return true;
    }

    /// <summary>
    /// <see cref="FaultInjection.SkipAsyncReleaseFence"/>: the release store without the full fence after it, so the
    /// function's loads may pass it. Returns false if the switch is off (the real release runs).
    /// </summary>
    private bool TryFaultyRelease()
    {
        if (!FaultInjection.SkipAsyncReleaseFence)
        {
            return false;
        }

        Volatile.Write(ref _flags, Free); // the release alone; pairs as the real one does (IsInFlight, the next TryClaim)
        return true;
    }
}
