using CrossCore.Cores;
using CrossCore.Deferred;

namespace CrossCore.Diagnostics;

/// <summary>
/// The one place where the runtime reports what happens (D2, D3): counters, the <c>CrossCore</c> EventSource and the
/// <c>CrossCore</c> Meter. Every method is cheap when nobody listens: counters are plain or interlocked adds on the
/// paths they count, and events and histogram records are behind enabled checks.
/// </summary>
internal sealed class CoreSetTelemetry
{
    private readonly CoreSet _set;

    public CoreSetTelemetry(CoreSet set) => _set = set;

    /// <summary>A producer's wake-up decision that did something (sent or avoided).</summary>
    public void Wake(Core target, WakeResult result)
    {
        if (result == WakeResult.Sent)
        {
            target.Counters.AddWakeSent();
        }
        else
        {
            target.Counters.AddWakeAvoided();
        }
    }

    /// <summary>A detached batch of <paramref name="entries"/> entries.</summary>
    public void Batch(Core core, int entries)
    {
    }

    /// <summary>A Busy answer from CallAsync.</summary>
    public void Busy(Core target) => target.Counters.AddBusy();

    /// <summary>A coalesced deferred-work queue.</summary>
    public void Coalesced(Core target) => target.Counters.AddCoalesced();

    /// <summary>A deferred work claimed and queued.</summary>
    public void DeferredQueued(Core target, DeferredWork work)
    {
    }

    /// <summary>A function threw. <paramref name="waited"/>: a sync caller will re-throw it.</summary>
    public void FunctionThrew(int core, Exception exception, Delegate? function, bool waited)
    {
        if (core >= 0 && core < _set.Count)
        {
            _set.GetCoreUnchecked(core).Counters.Exceptions++;
        }
    }

    /// <summary>A stuck-call report or "got unstuck".</summary>
    public void StuckReport(StuckCallReport report)
    {
    }

    /// <summary>A core went offline or online.</summary>
    public void Hotplug(Core core, bool online)
    {
    }
}
