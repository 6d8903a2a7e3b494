namespace CrossCore.Cli.Torture;

/// <summary>
/// One invoker's counters for one primitive (written by that invoker only; read racily by the display) and the
/// latency of its accepted requests.
/// </summary>
internal sealed class PrimitiveStats
{
    public long Attempts;
    public long Ok;
    public long Busy;
    public long Offline;
    public long Coalesced;

    /// <summary>Awaited calls whose task ended canceled (the function never ran).</summary>
    public long Cancelled;

    /// <summary>Of <see cref="Cancelled"/>: the token fired after the call was queued (the race was won by the token).</summary>
    public long CancelledQueued;

    /// <summary>Awaited calls whose token fired after the call was queued, but the core had started it: they ran.</summary>
    public long CancelTooLate;

    public LatencyHistogram Latency { get; } = new();

    public void Add(PrimitiveStats other)
    {
        Attempts += Volatile.Read(ref other.Attempts);
        Ok += Volatile.Read(ref other.Ok);
        Busy += Volatile.Read(ref other.Busy);
        Offline += Volatile.Read(ref other.Offline);
        Coalesced += Volatile.Read(ref other.Coalesced);
        Cancelled += Volatile.Read(ref other.Cancelled);
        CancelledQueued += Volatile.Read(ref other.CancelledQueued);
        CancelTooLate += Volatile.Read(ref other.CancelTooLate);
        Latency.Add(other.Latency);
    }
}
