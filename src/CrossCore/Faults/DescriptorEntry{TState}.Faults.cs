namespace CrossCore;

/// <summary>The fault emulation of <see cref="DescriptorEntry{TState}"/>'s run (test-only, see <see cref="FaultInjection"/>).</summary>
internal sealed partial class DescriptorEntry<TState>
{
    /// <summary>
    /// <see cref="FaultInjection.ReorderAsyncRelease"/>: the function runs before the release, so its loads all pass
    /// the release store (the widest reordering a missing O4 fence permits). Returns false if the switch is off.
    /// </summary>
    private bool TryFaultyExecute()
    {
        if (!FaultInjection.ReorderAsyncRelease)
        {
            return false;
        }

        var function = Function;
        var state = State;
        function(state);
        ReleaseBeforeInvoke();
        return true;
    }
}
