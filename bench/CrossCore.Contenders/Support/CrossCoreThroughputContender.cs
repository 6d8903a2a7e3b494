using System.Runtime.CompilerServices;

namespace CrossCore.Contenders;

/// <summary>
/// A CrossCore handoff contender: the senders call core 1 of a two-core set (core 1 on the partner CPU); the contender
/// owns the set, counts what the core consumed in <see cref="Consumed"/>, and reports the set's statistics per
/// operation after each run (<see cref="StatsProbe"/>).
/// </summary>
public abstract class CrossCoreThroughputContender : ThroughputContender
{
    /// <summary>The core every sender calls.</summary>
    protected const int Target = 1;

    private readonly StatsProbe _probe;
    private long _warm;

    /// <summary>Starts the two-core set (named <paramref name="setName"/>) and the senders.</summary>
    protected CrossCoreThroughputContender(Placement placement, int senders, string setName)
        : this(placement, senders, setName, noWaitRing: 0)
    {
    }

    /// <summary>As the other constructor; <paramref name="noWaitRing"/> &gt; 0 sets the set's ring of posting
    /// descriptors per sender and core (1: the kernel's one per-sender descriptor), 0 keeps the library's default.</summary>
    protected CrossCoreThroughputContender(Placement placement, int senders, string setName, int noWaitRing)
        : base(placement, senders)
    {
        var options = placement.CoreSetOptions(setName, 2);
        if (noWaitRing > 0)
        {
            options.NoWaitRingSize = noWaitRing;
        }

        Set = new CoreSet(options);
        _probe = new StatsProbe(Set);
    }

    /// <summary>The set.</summary>
    public CoreSet Set { get; }

    /// <inheritdoc/>
    public sealed override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override string? PinningError => Set.GetCoreInfo(Target).PinningError ?? base.PinningError;

    /// <summary>Items the core has consumed: the functions the senders queue increment it.</summary>
    protected PaddedCounter Consumed { get; } = new();

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtras(_probe.After(ops));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Set.Dispose();
    }

    /// <inheritdoc/>
    protected override void BeginConsumer()
    {
    }

    /// <inheritdoc/>
    protected override void EndConsumer()
    {
    }

    /// <summary>Wakes the core with 16 items from sender 0 (it polls then), counted apart from the runs' items.</summary>
    protected void WarmUp()
    {
        Produce(0, 16);
        _warm += 16;
        WaitConsumed(Expected);
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (Consumed.Read() < total + _warm)
        {
            Spin.Pause(ref spin);
        }
    }

    /// <summary>One pool of <paramref name="size"/> reusable descriptors per sender, each incrementing
    /// <see cref="Consumed"/>.</summary>
    protected CallDescriptor<PaddedCounter>[][] DescriptorPools(int size)
    {
        var pools = new CallDescriptor<PaddedCounter>[Senders][];
        for (var s = 0; s < pools.Length; s++)
        {
            pools[s] = new CallDescriptor<PaddedCounter>[size];
            for (var i = 0; i < size; i++)
            {
                pools[s][i] = new CallDescriptor<PaddedCounter>(static c => c.Increment(), Consumed);
            }
        }

        return pools;
    }

    /// <summary>Queues a reused descriptor to the target; while the core has not taken its previous use (Busy), waits
    /// reading it, not retrying the claim, so the line is not stolen from the core on every spin.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void PostReused(CoreSet set, CallDescriptor<PaddedCounter> descriptor)
    {
        var spin = 0;
        while (set.TryPost(Target, descriptor) == CallResult.Busy)
        {
            while (descriptor.IsInFlight)
            {
                Spin.Pause(ref spin);
            }
        }
    }
}
