namespace CrossCore.Cli.Torture;

/// <summary>What a queueing attempt of an aligned race target answered.</summary>
internal enum AlignedRaceAnswer
{
    /// <summary>Ok or Queued: a run was queued.</summary>
    Accepted,

    /// <summary>Busy or Coalesced: the run in flight (or pending) must see the caller's write.</summary>
    Obliged,

    /// <summary>The core is offline: nothing was queued.</summary>
    Offline,
}
