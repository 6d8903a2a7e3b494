namespace CrossCore;

/// <summary>What an <see cref="InboxEntry"/> is, fixed when it is constructed (the kernel's CSD type field).</summary>
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
}
