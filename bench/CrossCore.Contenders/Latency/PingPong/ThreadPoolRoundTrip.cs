using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P1 peer: <c>ThreadPool.UnsafeQueueUserWorkItem</c> of a reused work item that bumps a padded sequence; the
/// driver spins until it sees it. The round trip of handing work to "some other thread" the .NET way.
/// </summary>
public sealed class ThreadPoolRoundTrip : LatencyContender
{
    private readonly Item _item = new();
    private readonly Placement _placement;

    /// <summary>Creates the reusable work item.</summary>
    public ThreadPoolRoundTrip(Placement placement) => _placement = placement; // the pool cannot be pinned

    /// <inheritdoc/>
    public override string Name => "ThreadPool.UnsafeQueueUserWorkItem round trip";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override void Begin() => BenchAffinity.EnterThreadPoolRegion();

    /// <inheritdoc/>
    public override void End() => BenchAffinity.LeaveThreadPoolRegion(_placement.DriverCpu);

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var item = _item;
        var sequence = Volatile.Read(ref item.Done.Value);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            sequence++;
            ThreadPool.UnsafeQueueUserWorkItem(item, preferLocal: false);
            var spin = 0;
            while (Volatile.Read(ref item.Done.Value) != sequence)
            {
                Spin.Pause(ref spin);
            }

            clock.Tick(i);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    private sealed class Item : IThreadPoolWorkItem
    {
        public PaddedLong Done;

        public void Execute() => Volatile.Write(ref Done.Value, Done.Value + 1);
    }
}
