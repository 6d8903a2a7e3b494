namespace CrossCore.Contenders;

/// <summary>
/// Broadcast, core to all: task-context work on core 0 runs <c>InvokeOnEach(null, null, f, state)</c>: the
/// remote cores are queued, core 0's own share runs inline, then it waits (the kernel's <c>on_each_cpu</c>).
/// </summary>
public sealed class CrossCoreInvokeOnEach : CrossCoreLatencyContender
{
    private readonly PaddedCounter _state = new();

    /// <summary>Starts a set with one core per CPU (core i on CPU i).</summary>
    public CrossCoreInvokeOnEach(Placement placement)
        : base(placement.CoreSetOptions("bench each", placement.Followers + 1))
    {
    }

    /// <inheritdoc/>
    public override string Name => $"CrossCore InvokeOnEach from core 0 ({Set.Count} cores, own share inline)";

    /// <inheritdoc/>
    public override string? PinningError => Set.GetCoreInfo(0).PinningError;

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) => TimeOnCore0(ops, clock, new InvokeOnEach(Set, _state));

    private readonly struct InvokeOnEach(CoreSet set, PaddedCounter state) : IRoundTrip
    {
        public void Run() => set.InvokeOnEach(null, null, static (_, _) => { }, state);
    }
}
