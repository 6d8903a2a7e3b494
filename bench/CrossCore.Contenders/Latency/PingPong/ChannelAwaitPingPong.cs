using System.Diagnostics;
using System.Threading.Channels;

namespace CrossCore.Contenders;

/// <summary>
/// P1 peer: the same two channels used the idiomatic way, with <c>await ReadAsync()</c> on both sides (continuations
/// run on the thread pool, which cannot be pinned).
/// </summary>
public sealed class ChannelAwaitPingPong : LatencyContender
{
    private readonly Channel<long> _request = PingPongChannels.Create();
    private readonly Channel<long> _reply = PingPongChannels.Create();
    private readonly Placement _placement;
    private Task? _pong;
    private volatile bool _pongReady;
    private int _pongThread;
    private int _sameThread;

    /// <summary>Creates the channels; the pong loop runs on the thread pool during a run.</summary>
    public ChannelAwaitPingPong(Placement placement) => _placement = placement; // the pool cannot be pinned

    /// <inheritdoc/>
    public override string Name => "Channel<T> ping-pong, await ReadAsync";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override void BeforeRun() => _sameThread = 0;

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtra("same_thread_per_op", (double)_sameThread / ops);

    /// <inheritdoc/>
    public override void Begin()
    {
        BenchAffinity.EnterThreadPoolRegion(); // pool threads must not inherit the driver's CPU
        _pongReady = false;
        _pong = Task.Run(PongAsync);
        Spin.Until(() => _pongReady);
    }

    /// <inheritdoc/>
    public override void End()
    {
        _request.Writer.TryWrite(-1);
        _pong!.GetAwaiter().GetResult();
        BenchAffinity.LeaveThreadPoolRegion(_placement.DriverCpu);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock) =>
        Task.Run(() => PingAsync(ops, clock)).GetAwaiter().GetResult();

    private async Task<long> PingAsync<TClock>(int ops, TClock clock)
        where TClock : struct, IOpClock
    {
        var writer = _request.Writer;
        var reader = _reply.Reader;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            writer.TryWrite(i);
            await reader.ReadAsync().ConfigureAwait(false);
            clock.Tick(i);
            if (Volatile.Read(ref _pongThread) == Environment.CurrentManagedThreadId)
            {
                _sameThread++; // the pool ran both ends on one thread: no cross-CPU handoff this time
            }
        }

        return Stopwatch.GetTimestamp() - start;
    }

    private async Task PongAsync()
    {
        var reader = _request.Reader;
        var writer = _reply.Writer;
        _pongReady = true;
        while (true)
        {
            var value = await reader.ReadAsync().ConfigureAwait(false);
            if (value < 0)
            {
                return;
            }

            Volatile.Write(ref _pongThread, Environment.CurrentManagedThreadId);
            writer.TryWrite(value);
        }
    }
}
