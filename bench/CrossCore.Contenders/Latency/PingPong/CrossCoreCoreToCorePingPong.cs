namespace CrossCore.Contenders;

/// <summary>
/// P1, core to core: task-context work on core 0 (<c>RunAsync</c>) makes waiting calls to core 1, the kernel's usual
/// case (one CPU calling another). The loop times itself on core 0.
/// </summary>
public sealed class CrossCoreCoreToCorePingPong : CrossCoreLatencyContender
{
    private readonly PaddedCounter _state = new();

    /// <summary>Starts a two-core set: core 0 on the driver's CPU calls core 1 on the partner's.</summary>
    public CrossCoreCoreToCorePingPong(Placement placement)
        : base(placement.CoreSetOptions("bench c2c", 2))
    {
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore Invoke, core 0 → core 1 (RunAsync)";

    /// <inheritdoc/>
    public override string? PinningError => Set.GetCoreInfo(0).PinningError ?? Set.GetCoreInfo(1).PinningError;

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) => TimeOnCore0(ops, clock, new InvokeCore1(Set, _state));

    private readonly struct InvokeCore1(CoreSet set, PaddedCounter state) : IRoundTrip
    {
        public void Run() => set.Invoke(1, static c => c.Increment(), state);
    }
}
