using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>Writes <see cref="Stopwatch.GetTimestamp"/> to <c>stamps[i + 1]</c> after operation i (and to
/// <c>stamps[i]</c> on a restart), so operation i took <c>stamps[i + 1] - stamps[i]</c>.</summary>
public readonly struct StampClock(long[] stamps) : IOpClock
{
    /// <inheritdoc/>
    public void Tick(int i) => stamps[i + 1] = Stopwatch.GetTimestamp();

    /// <inheritdoc/>
    public void Restart(int i) => stamps[i] = Stopwatch.GetTimestamp();
}
