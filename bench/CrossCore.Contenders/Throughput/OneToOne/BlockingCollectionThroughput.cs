using System.Collections.Concurrent;

namespace CrossCore.Contenders;

/// <summary>P2 peer: a <see cref="BlockingCollection{T}"/> over a <see cref="ConcurrentQueue{T}"/>, one pinned consumer
/// in <c>Take</c>.</summary>
public sealed class BlockingCollectionThroughput : PartnerConsumerThroughput
{
    private readonly BlockingCollection<long> _queue = new(new ConcurrentQueue<long>());
    private readonly PaddedCounter _consumed = new();

    /// <summary>Creates the collection and the consumer thread on the partner CPU.</summary>
    public BlockingCollectionThroughput(Placement placement, int senders = 1)
        : base(placement, senders, "blocking consumer")
    {
    }

    /// <inheritdoc/>
    public override string Name => "BlockingCollection<T>";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // the consumer thread, then the senders
        _queue.Dispose();
    }

    /// <inheritdoc/>
    protected override Action? UnblockConsumer => () => _queue.Add(-1);

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var queue = _queue;
        for (var i = 0; i < count; i++)
        {
            queue.Add(i);
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (_consumed.Read() < total)
        {
            Spin.Pause(ref spin);
        }
    }

    /// <inheritdoc/>
    protected override void Consume(Partner self)
    {
        var consumed = _consumed.Read();
        self.SignalReady();
        while (true)
        {
            if (_queue.Take() < 0)
            {
                return;
            }

            Volatile.Write(ref _consumed.Value, ++consumed);
        }
    }
}
