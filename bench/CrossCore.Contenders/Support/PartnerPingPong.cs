namespace CrossCore.Contenders;

/// <summary>
/// A ping-pong floor or peer with one pong thread (a <see cref="Partner"/> on the partner CPU): the driver's loop
/// (<see cref="LatencyContender"/>) sends, <see cref="Pong"/> answers on the partner between <see cref="Begin"/> and
/// <see cref="End"/>.
/// </summary>
public abstract class PartnerPingPong : LatencyContender
{
    private readonly Partner _partner;

    /// <summary>Creates the pong thread, named <paramref name="partnerName"/>, on the placement's partner CPU.</summary>
    protected PartnerPingPong(string partnerName, Placement placement) => _partner = new Partner(partnerName, placement.PartnerCpu);

    /// <inheritdoc/>
    public override string? PinningError => _partner.PinningError;

    /// <inheritdoc/>
    public sealed override void Begin() => _partner.Start(Pong);

    /// <inheritdoc/>
    public sealed override void End() => _partner.Stop(UnblockPong);

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _partner.Dispose();
        base.Dispose(disposing);
    }

    /// <summary>The pong loop, on the partner thread: answers until <see cref="Partner.StopRequested"/>.</summary>
    protected abstract void Pong(Partner self);

    /// <summary>Wakes a pong that blocks, so it sees the stop request (<see langword="null"/>: the pong spins).</summary>
    protected virtual Action? UnblockPong => null;
}
