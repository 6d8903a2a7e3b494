namespace CrossCore;

/// <summary>A snapshot of one core.</summary>
/// <param name="Id">The core id, 0..N-1.</param>
/// <param name="State">What it was doing.</param>
/// <param name="HardwareCpu">The hardware CPU its thread is pinned to, or -1 if not pinned.</param>
/// <param name="PinningError">Why pinning failed, when it was asked for; null otherwise.</param>
/// <param name="ManagedThreadId">Its thread's managed id.</param>
public readonly record struct CoreInfo(int Id, CoreState State, int HardwareCpu, string? PinningError, int ManagedThreadId)
{
    /// <summary>True if the core's thread is pinned to <see cref="HardwareCpu"/>.</summary>
    public bool IsPinned => HardwareCpu >= 0;

    /// <summary>
    /// True if another core of the set is pinned to the same hardware CPU (more cores pinned than there are CPUs, or
    /// a CPU list with repeats): those cores take turns on the CPU instead of running in parallel.
    /// </summary>
    public bool SharesHardwareCpu { get; init; }

    /// <summary>A warning about this core's placement for logs, or null if there is nothing to warn about.</summary>
    public string? PinningWarning => SharesHardwareCpu
        ? $"core {Id} shares hardware CPU {HardwareCpu} with another core: they take turns on it, not run in parallel"
        : PinningError is { } error ? $"core {Id} is not pinned: {error}" : null;
}
