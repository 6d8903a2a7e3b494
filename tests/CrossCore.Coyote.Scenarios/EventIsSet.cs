using Microsoft.Coyote.Rewriting;

namespace CrossCore.Coyote.Scenarios;

/// <summary>
/// The condition of the WaitForEvent seam's controlled wait. Coyote's scheduler evaluates it while it picks the next
/// operation, so it must hold no scheduling point of its own: not rewritten (a rewritten field load here would
/// re-enter the scheduler from inside the scheduler).
/// </summary>
[SkipRewriting("evaluated by the scheduler itself")]
internal sealed class EventIsSet(ManualResetEventSlim e)
{
    public bool Evaluate() => e.IsSet;
}
