using System.Threading.Channels;

namespace CrossCore.Contenders;

/// <summary>
/// P2 peer: an unbounded <see cref="Channel{T}"/> with <c>SingleReader = true</c>. The reader either spins on
/// <c>TryRead</c> on a pinned thread, or awaits <c>WaitToReadAsync</c> and drains with <c>TryRead</c> (the idiomatic
/// consumer, on the thread pool).
/// </summary>
public sealed class ChannelThroughput : ThroughputContender
{
    private readonly Channel<long> _channel;
    private readonly bool _await;
    private readonly PaddedCounter _consumed = new();
    private readonly Partner? _consumer;
    private Task? _reader;
    private volatile bool _readerReady;

    /// <summary>Creates the channel and, for the spinning reader, its thread on the partner CPU.</summary>
    public ChannelThroughput(Placement placement, bool awaitReader, int senders = 1)
        : base(placement, senders)
    {
        _await = awaitReader;
        _channel = Channel.CreateUnbounded<long>(new UnboundedChannelOptions
        {
            SingleReader = true,
            SingleWriter = senders == 1,
            AllowSynchronousContinuations = false,
        });
        if (!awaitReader)
        {
            _consumer = new Partner("channel reader", placement.PartnerCpu);
        }
    }

    /// <inheritdoc/>
    public override string Name => _await ? "Channel<T> (SingleReader), await WaitToReadAsync" : "Channel<T> (SingleReader), spinning TryRead";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Peer;

    /// <inheritdoc/>
    public override string? PinningError => _consumer?.PinningError ?? base.PinningError;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _consumer?.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override void BeginConsumer()
    {
        if (_consumer is not null)
        {
            _consumer.Start(Consume);
            return;
        }

        BenchAffinity.EnterThreadPoolRegion(); // pool threads must not inherit the driver's CPU
        _readerReady = false;
        _reader = Task.Run(ConsumeAsync);
        Spin.Until(() => _readerReady);
    }

    /// <inheritdoc/>
    protected override void EndConsumer()
    {
        if (_consumer is not null)
        {
            _consumer.Stop();
            return;
        }

        _channel.Writer.TryWrite(-1);
        _reader!.GetAwaiter().GetResult();
        BenchAffinity.LeaveThreadPoolRegion(Placement.DriverCpu);
    }

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var writer = _channel.Writer;
        for (var i = 0; i < count; i++)
        {
            writer.TryWrite(i);
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

    private void Consume(Partner self)
    {
        var reader = _channel.Reader;
        var consumed = _consumed.Read();
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            if (reader.TryRead(out _))
            {
                consumed++;
                while (reader.TryRead(out _))
                {
                    consumed++;
                }

                Volatile.Write(ref _consumed.Value, consumed);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private async Task ConsumeAsync()
    {
        var reader = _channel.Reader;
        var consumed = _consumed.Read();
        _readerReady = true;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var item))
            {
                if (item < 0)
                {
                    return;
                }

                consumed++;
            }

            Volatile.Write(ref _consumed.Value, consumed);
        }
    }
}
