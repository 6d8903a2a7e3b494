namespace CrossCore;

/// <summary>What the target of a stuck call was doing when the report was made (D1).</summary>
public enum TargetActivity
{
    /// <summary>Running the very call the waiter waits for ("handling this request").</summary>
    RunningThisCall,

    /// <summary>Running another function ("handling prior request"): see <see cref="StuckCallReport.OtherFunction"/>.</summary>
    RunningOtherFunction,

    /// <summary>Running task-context work or its own loop: not in a call function.</summary>
    RunningTaskContext,

    /// <summary>Idle and polling its inbox, yet the call has not run.</summary>
    Polling,

    /// <summary>Parked, yet the call has not run: the detector re-sends the wake-up.</summary>
    Parked,

    /// <summary>Offline (dormant).</summary>
    Offline,

    /// <summary>No single target (a Sync() on deferred work, or the target is unknown).</summary>
    Unknown,
}
