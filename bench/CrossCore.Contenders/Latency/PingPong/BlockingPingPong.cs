using System.Collections.Concurrent;
using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>P1 peer: two <see cref="BlockingCollection{T}"/>s, one each way, with a pinned pong thread (<c>Take</c> spins
/// briefly, then blocks).</summary>
public sealed class BlockingCollectionPingPong : LatencyContender
{
    private readonly BlockingCollection<long> _request = new(new ConcurrentQueue<long>());
    private readonly BlockingCollection<long> _reply = new(new ConcurrentQueue<long>());
    private readonly Partner _partner;

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    public BlockingCollectionPingPong(Placement placement) => _partner = new Partner("blocking pong", placement.PartnerCpu);

    /// <inheritdoc/>
    public override string Name => "BlockingCollection<T> ping-pong";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override string? PinningError => _partner.PinningError;

    /// <inheritdoc/>
    public override void Begin() => _partner.Start(Pong);

    /// <inheritdoc/>
    public override void End() => _partner.Stop(() => _request.Add(-1));

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _partner.Dispose();
        _request.Dispose();
        _reply.Dispose();
        base.Dispose(disposing);
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

    private void Pong(Partner self)
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

/// <summary>
/// P3 floor: two <see cref="ManualResetEventSlim"/>s with a spin count of 1 (so a wait really blocks), one each way,
/// with an untimed pause before each round trip so the pong thread is asleep when the request comes: every round trip
/// is two kernel wake-ups, the least a request to a sleeping thread and its answer to a sleeping waiter can cost.
/// </summary>
public sealed class EventPingPong : LatencyContender
{
    private readonly ManualResetEventSlim _request = new(false, spinCount: 1);
    private readonly ManualResetEventSlim _reply = new(false, spinCount: 1);
    private readonly Partner _partner;

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    public EventPingPong(Placement placement) => _partner = new Partner("event pong", placement.PartnerCpu);

    /// <inheritdoc/>
    public override string Name => "ManualResetEventSlim ping-pong (SpinCount 1)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    public override string? PinningError => _partner.PinningError;

    /// <inheritdoc/>
    public override void Begin() => _partner.Start(Pong);

    /// <inheritdoc/>
    public override void End() => _partner.Stop(_request.Set);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _partner.Dispose();
        _request.Dispose();
        _reply.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var request = _request;
        var reply = _reply;
        var gap = Gap.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        long elapsed = 0;
        for (var i = 0; i < ops; i++)
        {
            Pause.For(gap);
            clock.Restart(i);
            var start = Stopwatch.GetTimestamp();
            request.Set();
            reply.Wait();
            elapsed += Stopwatch.GetTimestamp() - start;
            clock.Tick(i);
            reply.Reset();
        }

        return elapsed;
    }

    /// <summary>The untimed pause before each round trip (the same as the CrossCore parked contender's).</summary>
    public static TimeSpan Gap => TimeSpan.FromMicroseconds(100);

    private void Pong(Partner self)
    {
        self.SignalReady();
        while (true)
        {
            _request.Wait();
            _request.Reset();
            if (self.StopRequested)
            {
                return;
            }

            _reply.Set();
        }
    }
}
