using System.Diagnostics;
using System.Threading.Channels;

namespace CrossCore.Contenders;

/// <summary>
/// P7's peer: a <see cref="Channel{T}"/> await ping-pong whose two ends really run on two CPUs. Each end is an
/// <c>async</c> loop on its own pinned <see cref="LoopThread"/> (a single-threaded synchronization context that polls
/// as long as a CrossCore core before it blocks), and each <c>await ReadAsync()</c> resumes in its own context, so
/// every hop crosses between the two threads. (<see cref="ChannelAwaitPingPong"/> lets the pool run both ends, often
/// on one thread; its <c>same_thread_per_op</c> says how often.)
/// </summary>
public sealed class ChannelAwaitTwoThreadPingPong : LatencyContender
{
    private readonly Channel<long> _request = PingPongChannels.Create();
    private readonly Channel<long> _reply = PingPongChannels.Create();
    private readonly LoopThread _ping;
    private readonly LoopThread _pong;
    private Task<long>? _pongLoop;
    private long _loopBytes;

    /// <summary>Starts the two threads: ping on the driver's CPU, pong on the partner's, polling 50 µs like the cores.</summary>
    public ChannelAwaitTwoThreadPingPong(Placement placement)
    {
        _ping = new LoopThread("bench channel ping", placement.DriverCpu, TimeSpan.FromMicroseconds(50));
        _pong = new LoopThread("bench channel pong", placement.PartnerCpu, TimeSpan.FromMicroseconds(50));
    }

    /// <inheritdoc/>
    public override string Name => "Channel<T> await ping-pong, ends on two threads";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override string? PinningError => _ping.PinningError ?? _pong.PinningError;

    /// <inheritdoc/>
    public override void Begin() => _pongLoop = _pong.Start(PongAsync);

    /// <inheritdoc/>
    public override void End()
    {
        _request.Writer.TryWrite(-1);
        _pongLoop!.GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtra("loop_bytes_per_op", (double)_loopBytes / ops); // on the ping thread

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _ping.Dispose();
        _pong.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) =>
        _ping.Start(() => PingAsync(ops, clock)).GetAwaiter().GetResult();

    private async Task<long> PingAsync<TClock>(int ops, TClock clock)
        where TClock : struct, IOpClock
    {
        var writer = _request.Writer;
        var reader = _reply.Reader;
        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            writer.TryWrite(i);
            await reader.ReadAsync(); // resumes on the ping thread
            clock.Tick(i);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        _loopBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
        return elapsed;
    }

    private async Task<long> PongAsync()
    {
        var reader = _request.Reader;
        var writer = _reply.Writer;
        while (true)
        {
            var value = await reader.ReadAsync(); // resumes on the pong thread
            if (value < 0)
            {
                return 0;
            }

            writer.TryWrite(value);
        }
    }
}
