namespace CrossCore.Cli.Torture;

/// <summary>What a check found broken. Any violation makes the verdict FAILURE.</summary>
internal enum ViolationKind
{
    /// <summary>A function ran on a core other than the one asked for (scftorture's <c>ste</c>).</summary>
    WrongCore,

    /// <summary>A function did not see the caller's write made before the call (scftorture's <c>stnmie</c>, O2).</summary>
    MissedCallerWrite,

    /// <summary>After a wait the caller did not see the function's write (scftorture's <c>stnmoe</c>, O4).</summary>
    MissedFunctionWrite,

    /// <summary>An accepted request never ran (§5.3).</summary>
    Lost,

    /// <summary>A request ran more than once (§5.3).</summary>
    Duplicate,

    /// <summary>After Busy, the next run did not see the write made before the attempt (O4, C2).</summary>
    BusyNotSeen,

    /// <summary>After a coalesced (false) queue, the pending run did not see the write made before the attempt (O6, C7).</summary>
    CoalescedNotSeen,

    /// <summary>A deferred work's last trigger was never seen by a run (C7).</summary>
    LastTriggerLost,

    /// <summary>A task-context continuation resumed off its core (C5).</summary>
    ResumedElsewhere,

    /// <summary>A call answered Ok/Offline against the known online state, or a run saw an older value than an earlier run.</summary>
    WrongAnswer,

    /// <summary>An unexpected exception (from the API or thrown by a function).</summary>
    Exception,

    /// <summary>A waiter found its target parked with work in its inbox (a lost wake-up, O7).</summary>
    LostWakeup,

    /// <summary>An awaited call's function ran although its task ended canceled (or offline), or ran after its caller had finished with it (C12).</summary>
    RanAfterCancel,

    /// <summary>No progress: the watchdog ended the run.</summary>
    Hang,
}

internal static class ViolationKinds
{
    public const int Count = (int)ViolationKind.Hang + 1;

    private static readonly string[] s_names =
    [
        "wrong-core", "missed-caller-write", "missed-function-write", "lost", "duplicate", "busy-not-seen",
        "coalesced-not-seen", "last-trigger-lost", "resumed-elsewhere", "wrong-answer", "exception", "lost-wakeup", "ran-after-cancel", "hang",
    ];

    public static string Name(this ViolationKind kind) => s_names[(int)kind];
}
