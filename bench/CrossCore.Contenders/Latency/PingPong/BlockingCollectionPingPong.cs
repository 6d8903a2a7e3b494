using System.Collections.Concurrent;
using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>P1 peer: two <see cref="BlockingCollection{T}"/>s, one each way, with a pinned pong thread (<c>Take</c> spins
/// briefly, then blocks).</summary>
public sealed class BlockingCollectionPingPong : PartnerPingPong
{
    private readonly BlockingCollection<long> _request = new(new ConcurrentQueue<long>());
    private readonly BlockingCollection<long> _reply = new(new ConcurrentQueue<long>());

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    public BlockingCollectionPingPong(Placement placement)
        : base("blocking pong", placement)
    {
    }

    /// <inheritdoc/>
    public override string Name => "BlockingCollection<T> ping-pong";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    protected override Action? UnblockPong => () => _request.Add(-1);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing); // stops the pong thread first
        _request.Dispose();
        _reply.Dispose();
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var request = _request;
        var reply = _reply;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            request.Add(i);
            reply.Take();
            clock.Tick(i);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    /// <inheritdoc/>
    protected override void Pong(Partner self)
    {
        self.SignalReady();
        while (true)
        {
            var value = _request.Take();
            if (value < 0)
            {
                return;
            }

            _reply.Add(value);
        }
    }
}
