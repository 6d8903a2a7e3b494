using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// Broadcast floor: a leader bumps a sequence in one padded line; each follower (one per other CPU) spins on it and
/// acknowledges in its own padded line; the leader waits for every acknowledgement. With one follower it is the raw
/// ping-pong.
/// </summary>
public sealed class RawBroadcast : LatencyContender
{
    private readonly PaddedLong[] _acks;
    private readonly Partner[] _followers;
    private readonly Go _go = new();
    private long _sequence;

    /// <summary>Creates one follower thread per follower CPU of the placement.</summary>
    public RawBroadcast(Placement placement)
    {
        _followers = new Partner[placement.Followers];
        _acks = new PaddedLong[placement.Followers];
        for (var i = 0; i < _followers.Length; i++)
        {
            _followers[i] = new Partner($"raw follower {i}", placement.FollowerCpus[i]);
        }
    }

    /// <inheritdoc/>
    public override string Name => $"raw padded-line broadcast to {_followers.Length} follower(s)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    public override string? PinningError => _followers.Select(f => f.PinningError).FirstOrDefault(e => e is not null);

    /// <inheritdoc/>
    public override void Begin()
    {
        for (var i = 0; i < _followers.Length; i++)
        {
            var index = i;
            _followers[i].Start(self => Follow(self, index));
        }
    }

    /// <inheritdoc/>
    public override void End()
    {
        foreach (var follower in _followers)
        {
            follower.Stop();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (var follower in _followers)
        {
            follower.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var acks = _acks;
        var go = _go;
        var sequence = _sequence;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            sequence++;
            Volatile.Write(ref go.Line.Value, sequence);
            for (var f = 0; f < acks.Length; f++)
            {
                var spin = 0;
                while (Volatile.Read(ref acks[f].Value) != sequence)
                {
                    Spin.Pause(ref spin);
                }
            }

            clock.Tick(i);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        _sequence = sequence;
        return elapsed;
    }

    private void Follow(Partner self, int index)
    {
        var go = _go;
        var last = Volatile.Read(ref go.Line.Value);
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            var value = Volatile.Read(ref go.Line.Value);
            if (value != last)
            {
                last = value;
                Volatile.Write(ref _acks[index].Value, value);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private sealed class Go
    {
        public PaddedLong Line;
    }
}
