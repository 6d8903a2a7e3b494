namespace CrossCore;

/// <summary>What a core is doing, as seen from outside (a snapshot).</summary>
public enum CoreState
{
    /// <summary>Running calls, deferred work or task-context work.</summary>
    Running,

    /// <summary>Idle and spinning on its inbox: a request needs no wake-up signal (the kernel's polling idle).</summary>
    Polling,

    /// <summary>Idle and blocked: a request that finds its inbox empty signals it (an IPI).</summary>
    Parked,

    /// <summary>Out of service (C8): requests answer <see cref="CallResult.Offline"/> or skip it.</summary>
    Offline,
}
