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
}
