namespace CrossCore;

/// <summary>How a <see cref="DeferredWork"/> is run (the kernel's <c>IRQ_WORK_LAZY</c> and <c>IRQ_WORK_HARD_IRQ</c>).</summary>
[Flags]
public enum DeferredWorkOptions
{
    /// <summary>
    /// Run promptly: a local queue runs it when the current function or task item returns; a remote queue wakes the
    /// target if it is parked.
    /// </summary>
    None = 0,

    /// <summary>
    /// Run at the core's next tick (<see cref="CoreSetOptions.TickPeriod"/>) and send no wake-up for it unless the
    /// core's tick is stopped (it is parked); a parked core with lazy work keeps its tick (§5.7).
    /// </summary>
    Lazy = 4,

    /// <summary>
    /// Run at once: a local queue from task context runs the function before <see cref="DeferredWork.Queue"/>
    /// returns (the self-IPI fires immediately). From handler context it runs right after the current function.
    /// </summary>
    Immediate = 8,
}
