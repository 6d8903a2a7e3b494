namespace CrossCore;

/// <summary>The fault emulation of <see cref="Parker"/>'s park handshake (test-only, see <see cref="FaultInjection"/>).</summary>
internal sealed partial class Parker
{
    /// <summary>
    /// <see cref="FaultInjection.SkipParkFence"/>: Parked published by a release store, which the owner's re-check (a
    /// later load) may pass: O7 without its full fence. Returns false if the switch is off.
    /// </summary>
    private bool TryFaultyPrepareToPark()
    {
        if (!FaultInjection.SkipParkFence)
        {
            return false;
        }

        Volatile.Write(ref _state.Value, Parked); // the bug: release only; pairs (too weakly) with Wake's read of the state
        return true;
    }
}
