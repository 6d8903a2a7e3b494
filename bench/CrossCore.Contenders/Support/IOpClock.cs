namespace CrossCore.Contenders;

/// <summary>Receives a timestamp after every operation of a latency loop; a struct so the untimed loop pays nothing.</summary>
public interface IOpClock
{
    /// <summary>Called after operation <paramref name="i"/>.</summary>
    void Tick(int i);

    /// <summary>Called by loops that pause between operations, just before operation <paramref name="i"/>: the pause
    /// is not part of its latency.</summary>
    void Restart(int i);
}
