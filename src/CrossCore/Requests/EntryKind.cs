namespace CrossCore;

/// <summary>What an <see cref="InboxEntry"/> is (the kernel's CSD type field). Fixed when it is constructed, except
/// that an awaitable call travelling back to its caller's core becomes task-context work for that trip.</summary>
internal enum EntryKind : byte
{
    /// <summary>A waiter spins on it: run first in a batch, released after the function returns (CSD_TYPE_SYNC).</summary>
    Sync,

    /// <summary>Released before the function runs, then a full fence (CSD_TYPE_ASYNC).</summary>
    Async,

    /// <summary>Deferred work travelling to a remote core (CSD_TYPE_IRQ_WORK).</summary>
    DeferredWork,

    /// <summary>Task-context work: moved to the core's task queue, run after handler-context work.</summary>
    TaskWork,

    /// <summary>An awaitable call: run like an async entry, completed (and released) after the function returns.</summary>
    Awaitable,
}
