namespace CrossCore;

/// <summary>The fault emulations of a core's batch (test-only, see <see cref="FaultInjection"/>).</summary>
internal sealed partial class Core
{
    /// <summary>
    /// <see cref="FaultInjection.DropAsync"/> (the entry is never run, never released: exactly what a lost request looks
    /// like) and <see cref="FaultInjection.DoubleRunAsync"/> (it runs twice). Returns true if it handled the entry.
    /// </summary>
    private bool TryFaultyRunAsync(InboxEntry entry)
    {
        if (FaultInjection.Take(ref FaultInjection.DropAsync))
        {
            return true;
        }

        if (FaultInjection.Take(ref FaultInjection.DoubleRunAsync))
        {
            RunEntry(entry);
            RunEntry(entry);
            Counters.AsyncRun += 2;
            return true;
        }

        return false;
    }
}
