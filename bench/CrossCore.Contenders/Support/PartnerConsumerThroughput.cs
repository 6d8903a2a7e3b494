namespace CrossCore.Contenders;

/// <summary>
/// A handoff floor or peer whose consumer is one thread (a <see cref="Partner"/> on the partner CPU) running
/// <see cref="Consume"/> between the contender's Begin and End.
/// </summary>
public abstract class PartnerConsumerThroughput : ThroughputContender
{
    private readonly Partner _consumer;

    /// <summary>Creates the senders, then the consumer thread, named <paramref name="consumerName"/>.</summary>
    protected PartnerConsumerThroughput(Placement placement, int senders, string consumerName)
        : base(placement, senders) =>
        _consumer = new Partner(consumerName, placement.PartnerCpu);

    /// <inheritdoc/>
    public override string? PinningError => _consumer.PinningError ?? base.PinningError;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _consumer.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected sealed override void BeginConsumer() => _consumer.Start(Consume);

    /// <inheritdoc/>
    protected sealed override void EndConsumer() => _consumer.Stop(UnblockConsumer);

    /// <summary>The consumer loop, on the partner thread: takes items until <see cref="Partner.StopRequested"/>.</summary>
    protected abstract void Consume(Partner self);

    /// <summary>Wakes a consumer that blocks, so it sees the stop request (<see langword="null"/>: it spins).</summary>
    protected virtual Action? UnblockConsumer => null;
}
