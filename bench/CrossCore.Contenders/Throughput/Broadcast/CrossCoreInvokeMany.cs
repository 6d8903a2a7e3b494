namespace CrossCore.Contenders;

/// <summary>
/// Broadcast: <c>InvokeMany(mask, f, state)</c> from the driver (outside the set) to every core but core 0
/// (cores 1..N-1 sit on the follower CPUs; core 0 would share the driver's CPU).
/// </summary>
public sealed class CrossCoreInvokeMany : CrossCoreLatencyContender
{
    private readonly CoreMask _targets;
    private readonly PaddedCounter _state = new();

    /// <summary>Starts a set with one core per CPU (core i on CPU i).</summary>
    public CrossCoreInvokeMany(Placement placement)
        : base(placement.CoreSetOptions("bench many", placement.Followers + 1))
    {
        _targets = new CoreMask(Enumerable.Range(1, placement.Followers));
    }

    /// <inheritdoc/>
    public override string Name => $"CrossCore InvokeMany to {_targets.Count} core(s)";

    /// <inheritdoc/>
    public override string? PinningError => Set.GetCoreInfo(Set.Count - 1).PinningError;

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) => TimeHere(ops, clock, new InvokeMany(Set, _targets, _state));

    private readonly struct InvokeMany(CoreSet set, CoreMask targets, PaddedCounter state) : IRoundTrip
    {
        public void Run() => set.InvokeMany(targets, static (_, _) => { }, state);
    }
}
