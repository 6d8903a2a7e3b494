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

    public LatencyHistogram Latency { get; } = new();

    public void Add(PrimitiveStats other)
    {
        Attempts += Volatile.Read(ref other.Attempts);
        Ok += Volatile.Read(ref other.Ok);
        Busy += Volatile.Read(ref other.Busy);
        Offline += Volatile.Read(ref other.Offline);
        Coalesced += Volatile.Read(ref other.Coalesced);
        Latency.Add(other.Latency);
    }
}
