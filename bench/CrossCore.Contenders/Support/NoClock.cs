namespace CrossCore.Contenders;

/// <summary>The clock of untimed loops: does nothing (and is compiled away).</summary>
public readonly struct NoClock : IOpClock
{
    /// <inheritdoc/>
    public void Tick(int i)
    {
    }

    /// <inheritdoc/>
    public void Restart(int i)
    {
    }
}
