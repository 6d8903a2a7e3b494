using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P1 floor: two threads on two CPUs bounce a sequence number through two padded cache lines. One round trip is two
/// cache-line transfers and nothing else: the least any cross-CPU request and answer can cost.
/// </summary>
public sealed class RawPingPong : PartnerPingPong
{
    private readonly Lines _lines = new();
    private long _sequence;

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    public RawPingPong(Placement placement)
        : base("raw pong", placement)
    {
    }

    /// <inheritdoc/>
    public override string Name => "raw padded cache-line ping-pong";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var lines = _lines;
        var sequence = _sequence;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            sequence++;
            Volatile.Write(ref lines.Ping.Value, sequence);
            var spin = 0;
            while (Volatile.Read(ref lines.Pong.Value) != sequence)
            {
                Spin.Pause(ref spin);
            }

            clock.Tick(i);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        _sequence = sequence;
        return elapsed;
    }

    /// <inheritdoc/>
    protected override void Pong(Partner self)
    {
        var lines = _lines;
        var last = Volatile.Read(ref lines.Ping.Value);
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            var value = Volatile.Read(ref lines.Ping.Value);
            if (value != last)
            {
                last = value;
                Volatile.Write(ref lines.Pong.Value, value);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private sealed class Lines
    {
        public PaddedLong Ping;
        public PaddedLong Pong;
    }
}
