using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P3 floor: two <see cref="ManualResetEventSlim"/>s with a spin count of 1 (so a wait really blocks), one each way,
/// with an untimed pause before each round trip so the pong thread is asleep when the request comes: every round trip
/// is two kernel wake-ups, the least a request to a sleeping thread and its answer to a sleeping waiter can cost.
/// </summary>
public sealed class EventPingPong : PartnerPingPong
{
    private readonly ManualResetEventSlim _request = new(false, spinCount: 1);
    private readonly ManualResetEventSlim _reply = new(false, spinCount: 1);

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    public EventPingPong(Placement placement)
        : base("event pong", placement)
    {
    }

    /// <inheritdoc/>
    public override string Name => "ManualResetEventSlim ping-pong (SpinCount 1)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    protected override Action? UnblockPong => _request.Set;

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

    /// <inheritdoc/>
    protected override void Pong(Partner self)
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
