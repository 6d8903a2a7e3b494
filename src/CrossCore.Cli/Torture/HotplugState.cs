namespace CrossCore.Cli.Torture;

/// <summary>
/// The harness's own record of which cores are online, as a seqlock: the hotplug thread makes the generation odd,
/// changes cores, records the new state, and makes it even again. A request that reads the same even generation
/// before and after its call knows exactly which cores were online during the call; otherwise the state is uncertain
/// and the checks that depend on it are relaxed for that request.
/// </summary>
internal sealed class HotplugState
{
    private readonly ulong[] _online;
    private long _generation;

    public HotplugState(int cores)
    {
        Cores = cores;
        _online = new ulong[(cores + 63) >> 6];
        for (var c = 0; c < cores; c++)
        {
            _online[c >> 6] |= 1UL << (c & 63);
        }
    }

    public int Cores { get; }

    public int Words => _online.Length;

    /// <summary>Read before the call.</summary>
    public long Begin() => Volatile.Read(ref _generation); // acquire; pairs with the Interlocked increments of the writer

    /// <summary>Read after the call (and after reading the bits): true if nothing changed since <paramref name="generation"/>.</summary>
    public bool Stable(long generation) => (generation & 1) == 0 && Volatile.Read(ref _generation) == generation; // acquire; pairs with EndChange

    public bool IsOnline(int core) => ((Volatile.Read(ref _online[core >> 6]) >> (core & 63)) & 1) != 0; // acquire; pairs with Set

    public ulong OnlineWord(int word) => Volatile.Read(ref _online[word]); // acquire; pairs with Set

    public int OnlineCount()
    {
        var n = 0;
        for (var w = 0; w < _online.Length; w++)
        {
            n += System.Numerics.BitOperations.PopCount(OnlineWord(w));
        }

        return n;
    }

    // ---- writer side: the hotplug thread only ----

    public void BeginChange() => Interlocked.Increment(ref _generation); // full fence: odd before any core changes

    public void Set(int core, bool online)
    {
        var word = _online[core >> 6];
        word = online ? word | (1UL << (core & 63)) : word & ~(1UL << (core & 63));
        Volatile.Write(ref _online[core >> 6], word); // release; pairs with the acquire in IsOnline/OnlineWord (one writer: inside BeginChange/EndChange)
    }

    public void EndChange() => Interlocked.Increment(ref _generation); // full fence: even after every change is recorded
}
