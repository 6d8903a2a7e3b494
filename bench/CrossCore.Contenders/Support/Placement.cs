namespace CrossCore.Contenders;

/// <summary>
/// Where the threads of a measurement run. The driver (the thread that times and sends) gets
/// <see cref="DriverCpu"/>; the thread or core that answers gets <see cref="PartnerCpu"/>; a second sender gets
/// <see cref="HelperCpu"/>; broadcast followers get <see cref="FollowerCpus"/>. Without pinning every CPU is -1.
/// </summary>
public sealed record Placement(bool Pin, int DriverCpu, int PartnerCpu, int HelperCpu, IReadOnlyList<int> FollowerCpus)
{
    /// <summary>
    /// The placement for this machine: driver on CPU 0, partner on CPU 1, a second sender on CPU 2 if there is one
    /// (else it shares CPU 0 with the driver), followers on CPUs 1..N-1. Pinning is possible with 2 CPUs or more.
    /// </summary>
    public static Placement For(bool pin)
    {
        var cpus = Environment.ProcessorCount;
        if (!pin || cpus < 2)
        {
            return new Placement(false, -1, -1, -1, Enumerable.Repeat(-1, Math.Max(1, cpus - 1)).ToArray());
        }

        return new Placement(true, 0, 1, cpus > 2 ? 2 : 0, Enumerable.Range(1, cpus - 1).ToArray());
    }

    /// <summary>How many followers a broadcast has (one per CPU besides the driver's).</summary>
    public int Followers => FollowerCpus.Count;

    /// <summary>CoreSet options whose core i is pinned to CPU i (core 0 = the driver's CPU, core 1 = the partner's).</summary>
    public CoreSetOptions CoreSetOptions(string name, int coreCount, TimeSpan? pollDuration = null) => new()
    {
        Name = name,
        CoreCount = coreCount,
        PinToHardwareCpus = Pin,
        HardwareCpus = Pin ? Enumerable.Range(0, coreCount).Select(i => i % Environment.ProcessorCount).ToArray() : null,
        PollDuration = pollDuration ?? TimeSpan.FromMicroseconds(50),
    };

    /// <summary>A one-line description for reports.</summary>
    public string Describe() => Pin
        ? $"pinned: driver CPU {DriverCpu}, partner/target core CPU {PartnerCpu}, second sender CPU {HelperCpu}, followers CPU {string.Join(",", FollowerCpus)}"
        : "not pinned (threads float)";
}
