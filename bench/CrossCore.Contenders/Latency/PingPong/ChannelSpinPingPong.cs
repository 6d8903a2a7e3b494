using System.Diagnostics;
using System.Threading.Channels;

namespace CrossCore.Contenders;

/// <summary>
/// P1 peer: two unbounded single-reader, single-writer <see cref="Channel{T}"/>s, one each way. The pong side is a
/// pinned thread spinning on <c>TryRead</c>, and so is the ping side's wait for the answer: the fastest way to use a
/// channel across two CPUs.
/// </summary>
public sealed class ChannelSpinPingPong : PartnerPingPong
{
    private readonly Channel<long> _request = PingPongChannels.Create();
    private readonly Channel<long> _reply = PingPongChannels.Create();

    /// <summary>Creates the pong thread on the partner CPU.</summary>
    public ChannelSpinPingPong(Placement placement)
        : base("channel pong", placement)
    {
    }

    /// <inheritdoc/>
    public override string Name => "Channel<T> ping-pong, spinning TryRead";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var writer = _request.Writer;
        var reader = _reply.Reader;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            writer.TryWrite(i);
            var spin = 0;
            while (!reader.TryRead(out _))
            {
                Spin.Pause(ref spin);
            }

            clock.Tick(i);
        }

        return Stopwatch.GetTimestamp() - start;
    }

    /// <inheritdoc/>
    protected override void Pong(Partner self)
    {
        var reader = _request.Reader;
        var writer = _reply.Writer;
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            if (reader.TryRead(out var value))
            {
                writer.TryWrite(value);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }
}
