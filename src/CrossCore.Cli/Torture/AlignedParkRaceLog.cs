using System.Runtime.InteropServices;

namespace CrossCore.Cli.Torture;

/// <summary>
/// The shared words of one core's park race (<see cref="AlignedParkRace"/>), each writer's on its own line: the racer's
/// go, the gate's entry, the probe's run.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 320)]
internal sealed class AlignedParkRaceLog
{
    /// <summary>The round the gate lets go (written by the racer).</summary>
    [FieldOffset(64)]
    public int Go;

    /// <summary>The round whose gate post has returned to the racer (written by the racer).</summary>
    [FieldOffset(68)]
    public int Posted;

    /// <summary>The round whose gate the core has started (written by the core).</summary>
    [FieldOffset(128)]
    public int Started;

    /// <summary>The round whose gate has dropped any stale signal and noted the park count (written by the core).</summary>
    [FieldOffset(132)]
    public int Entered;

    /// <summary>The core's park count when it entered the gate (published by <see cref="Entered"/>).</summary>
    [FieldOffset(136)]
    public long ParksAtGate;

    /// <summary>The round whose probe has run (written by the core).</summary>
    [FieldOffset(192)]
    public int Ran;

    /// <summary>The core's park count when the probe ran (published by <see cref="Ran"/>).</summary>
    [FieldOffset(200)]
    public long ParksAtProbe;

    /// <summary>What the racer's delay loop reads.</summary>
    [FieldOffset(256)]
    public int Spin;

    /// <summary>The last round started (racer only).</summary>
    [FieldOffset(260)]
    public int Round;

    /// <summary>The staircase's delay (racer only).</summary>
    [FieldOffset(264)]
    public int Delay;

    /// <summary>
    /// The gate, on the core: says it started; once the racer has seen that (its wake-ups for the gate, if any, are all
    /// sent), drops a signal left over (a signal sent to a core that then found its work by its re-check stays set, and would
    /// let the next park return at once), notes the park count, then spins until <see cref="Go"/> reaches
    /// <paramref name="round"/>.
    /// </summary>
    public void HoldUntil(int round, Core core)
    {
        Volatile.Write(ref Started, round); // release; pairs with the racer's acquire read in AlignedParkRace.WaitForCore (no data rides on it)
        SpinUntil(ref Posted, round);
        core.Parker.Park(0); // consumes a stale signal without blocking (the core's own parker, on its own thread)
        ParksAtGate = core.Counters.Parks;
        Volatile.Write(ref Entered, round); // release: publishes ParksAtGate; pairs with the racer's acquire read in AlignedParkRace.Round
        SpinUntil(ref Go, round);
    }

    /// <summary>The probe, on the core: notes the park count, then marks the round's probe run.</summary>
    public void Probe(int round, Core core)
    {
        ParksAtProbe = core.Counters.Parks;
        Volatile.Write(ref Ran, round); // release: publishes ParksAtProbe; pairs with the racer's acquire reads in AlignedParkRace.Round
    }

    /// <summary>Spins on the core until <paramref name="word"/> reaches <paramref name="round"/>, yielding now and then so a
    /// racer that shares the CPU gets to write it.</summary>
    private static void SpinUntil(ref int word, int round)
    {
        var spins = 0;
        while (Volatile.Read(ref word) < round) // acquire; pairs with the racer's release writes of Posted and Go in AlignedParkRace.Round
        {
            if ((++spins & 1023) == 0)
            {
                Thread.Yield();
            }
        }
    }
}
