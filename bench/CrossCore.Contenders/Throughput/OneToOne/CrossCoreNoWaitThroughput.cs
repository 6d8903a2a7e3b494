namespace CrossCore.Contenders;

/// <summary>P2: <c>Post(core, f, state)</c>: returns once queued, waiting only until the sender's
/// previous no-wait call to that core was dequeued (one per-sender descriptor, as in the kernel).</summary>
public sealed class CrossCoreNoWaitThroughput : CrossCoreThroughputContender
{
    /// <summary>Starts a two-core set (core 1 on the partner CPU).</summary>
    public CrossCoreNoWaitThroughput(Placement placement, int senders = 1)
        : base(placement, senders, "bench nowait")
    {
    }

    /// <inheritdoc/>
    public override string Name => "CrossCore Post";

    /// <inheritdoc/>
    protected override void BeginConsumer() => WarmUp();

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var set = Set;
        var state = Consumed;
        for (var i = 0; i < count; i++)
        {
            set.Post(Target, static c => c.Increment(), state);
        }
    }
}
