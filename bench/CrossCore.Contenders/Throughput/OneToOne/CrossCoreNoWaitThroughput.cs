namespace CrossCore.Contenders;

/// <summary>P2: <c>Post(core, f, state)</c>: returns once queued, waiting only while the sender already has a whole ring
/// of its no-wait calls to that core queued (the library's default ring, or <c>ring</c> descriptors; ring 1 is the
/// kernel's single per-sender descriptor: each post waits until the previous one was dequeued).</summary>
public sealed class CrossCoreNoWaitThroughput : CrossCoreThroughputContender
{
    private readonly int _ring;

    /// <summary>Starts a two-core set (core 1 on the partner CPU).</summary>
    /// <param name="placement">Where the threads run.</param>
    /// <param name="senders">How many threads post.</param>
    /// <param name="ring">The ring of posting descriptors per sender (0: the library's default).</param>
    public CrossCoreNoWaitThroughput(Placement placement, int senders = 1, int ring = 0)
        : base(placement, senders, "bench nowait", ring)
    {
        _ring = ring;
    }

    /// <inheritdoc/>
    public override string Name => _ring switch
    {
        0 => "CrossCore Post",
        1 => "CrossCore Post (ring 1, kernel)",
        _ => $"CrossCore Post (ring {_ring})",
    };

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
