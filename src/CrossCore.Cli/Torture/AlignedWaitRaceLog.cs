using System.Runtime.InteropServices;

namespace CrossCore.Cli.Torture;

/// <summary>
/// The shared words of one core's wait race (<see cref="AlignedWaitRace"/>), each writer's on its own line: the
/// watcher's delay for the gate, the caller's call and return, the core's gate entry, function run and mark.
/// </summary>
[StructLayout(LayoutKind.Explicit, Size = 384)]
internal sealed class AlignedWaitRaceLog
{
    /// <summary>The spin iterations the gate waits once the caller calls (written by the watcher, published by the post of
    /// the caller's call and then by <see cref="Calling"/>).</summary>
    [FieldOffset(64)]
    public int Wait;

    /// <summary>The round the caller is about to call (written by the caller).</summary>
    [FieldOffset(128)]
    public int Calling;

    /// <summary>The round whose call has returned to the caller (written by the caller).</summary>
    [FieldOffset(132)]
    public int Returned;

    /// <summary>The caller's parker's signal count when it called (written by the caller, published by <see cref="Returned"/>).</summary>
    [FieldOffset(136)]
    public int SignalsAtCall;

    /// <summary>The round whose gate the core has entered (written by the core).</summary>
    [FieldOffset(192)]
    public int Entered;

    /// <summary>The round whose function has run (written by the core, before the call's release).</summary>
    [FieldOffset(196)]
    public int Ran;

    /// <summary>The round whose mark has run (written by the core, after the call's release and wake-up).</summary>
    [FieldOffset(200)]
    public int Marked;

    /// <summary>What the gate's delay loop reads.</summary>
    [FieldOffset(256)]
    public int Spin;

    /// <summary>The last round started (watcher only).</summary>
    [FieldOffset(320)]
    public int Round;

    /// <summary>The staircase's delay (watcher only).</summary>
    [FieldOffset(324)]
    public int Delay;

    /// <summary>The gate, on the core: says it entered, spins until the caller calls, then waits <see cref="Wait"/>.</summary>
    public void HoldUntilCalled(int round)
    {
        Volatile.Write(ref Entered, round); // release; pairs with the watcher's acquire read in AlignedWaitRace.Round (no data rides on it)
        var spins = 0;
        while (Volatile.Read(ref Calling) < round) // acquire: Wait (the watcher's write, which the caller received with its call's post); pairs with the caller's release of Calling in AlignedWaitRace.Call
        {
            if ((++spins & 1023) == 0)
            {
                Thread.Yield(); // a caller that shares the CPU gets to call
            }
        }

        var wait = Wait;
        for (var i = 0; i < wait; i++)
        {
            _ = Volatile.Read(ref Spin); // volatile only so that the JIT keeps the delay loop: no pair
        }
    }

    /// <summary>The call's function, on the core: marks the round's run. The release of the call comes next.</summary>
    public void Called(int round) => Volatile.Write(ref Ran, round); // release; pairs with the watcher's acquire read (it says the release is near, nothing rides on it)

    /// <summary>The mark, on the core: runs after the call's release and wake-up have finished.</summary>
    public void Mark(int round) => Volatile.Write(ref Marked, round); // release; pairs with the watcher's acquire read: the core's Parker.Wake for the call is done
}
