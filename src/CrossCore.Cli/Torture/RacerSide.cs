namespace CrossCore.Cli.Torture;

/// <summary>One racer's own bookkeeping for a shared descriptor or work (written by that racer only).</summary>
internal sealed class RacerSide
{
    public RacerSide(Invoker invoker, int slot)
    {
        Invoker = invoker;
        Slot = slot;
    }

    public Invoker Invoker { get; }

    /// <summary>The racer's slot in the shared object's datum array.</summary>
    public int Slot { get; }

    /// <summary>The last datum written.</summary>
    public long Seq;

    /// <summary>Ok (or Queued) answers.</summary>
    public long Accepted;

    /// <summary>The latest datum a run is guaranteed to see: written before an attempt answered Ok, Busy, Queued or Coalesced.</summary>
    public long Guaranteed;
}
