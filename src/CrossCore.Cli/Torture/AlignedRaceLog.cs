using System.Runtime.InteropServices;

namespace CrossCore.Cli.Torture;

/// <summary>
/// The shared words of one aligned race target (<see cref="AlignedRace"/>), each on its own line: the gate's, the
/// datum's, the run count's. The target's function calls <see cref="Record"/> first.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 320)]
internal sealed class AlignedRaceLog
{
    private const int Size = 1024;

    /// <summary>The round the gate lets go (written by the racer).</summary>
    [FieldOffset(64)]
    public int Go;

    /// <summary>The datum the racer stores before its attempt.</summary>
    [FieldOffset(128)]
    public int Datum;

    /// <summary>Runs of the target so far (written by the core that runs it; the target never runs twice at once).</summary>
    [FieldOffset(192)]
    public int Runs;

    /// <summary>What the racer's delay loop reads.</summary>
    [FieldOffset(256)]
    public int Spin;

    /// <summary>The last round started (racer only).</summary>
    [FieldOffset(260)]
    public int Round;

    /// <summary>The staircase's delay (racer only).</summary>
    [FieldOffset(264)]
    public int Delay;

    [FieldOffset(8)]
    private readonly int[] _seen = new int[Size];

    /// <summary>The target's function, first thing: loads the datum, then counts the run.</summary>
    public void Record()
    {
        // The load that must not pass the core's release of the target (the fence after it, O4; the atomic run start, O6);
        // pairs with the racer's store before its attempt in AlignedRace.Round.
        var seen = Volatile.Read(ref Datum);
        var runs = Runs; // only the core running the target writes it
        _seen[runs % Size] = seen;
        Volatile.Write(ref Runs, runs + 1); // release; pairs with the racer's acquire reads in AlignedRace.Round
    }

    /// <summary>The datum that run number <paramref name="run"/> (counted from 0) saw.</summary>
    public int SeenBy(int run) => _seen[run % Size];

    /// <summary>The gate: spins on the core until <see cref="Go"/> reaches <paramref name="round"/>, yielding now and
    /// then so a racer that shares the CPU (more cores than CPUs) gets to let it go.</summary>
    public void HoldUntil(int round)
    {
        var spins = 0;
        while (Volatile.Read(ref Go) < round) // acquire; pairs with the racer's release in AlignedRace.Round
        {
            if ((++spins & 1023) == 0)
            {
                Thread.Yield();
            }
        }
    }
}
