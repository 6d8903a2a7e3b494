namespace CrossCore;

/// <summary>The outcome of queueing a <see cref="DeferredWork"/> (the kernel's <c>irq_work_queue</c> true/false, plus offline).</summary>
public enum QueueResult
{
    /// <summary>Claimed and queued: it will run (the kernel's true).</summary>
    Queued = 0,

    /// <summary>
    /// Already pending: nothing was queued, and the pending run is guaranteed to see every write the caller made
    /// before the attempt (O6; the kernel's false).
    /// </summary>
    Coalesced = 1,

    /// <summary>The target core is offline; nothing was claimed or queued.</summary>
    Offline = 2,
}
