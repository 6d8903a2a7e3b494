namespace CrossCore.Cli.Torture;

/// <summary>How one round of an aligned race (<see cref="AlignedRace"/>, <see cref="AlignedParkRace"/>, <see cref="AlignedWaitRace"/>) ended.</summary>
internal enum AlignedRaceRound
{
    /// <summary>Not raced: the core was offline, or the racer was asked to stop while it waited.</summary>
    Skipped,

    /// <summary>The attempt came after the release: a second run was queued (the park race: the post found the core parked
    /// and signalled it; the wait race: the release found the caller parked and signalled it).</summary>
    Accepted,

    /// <summary>The attempt got the obliging answer and the run in flight saw the datum (the park race: the post sent no
    /// wake-up, and the core found the probe without parking; the wait race: the release sent no wake-up, and the caller
    /// found it without blocking).</summary>
    Obliged,

    /// <summary>The attempt got the obliging answer and the run in flight missed the datum (the park race: the core parked
    /// with the probe queued; the wait race: the caller blocked with its call done): the rule is broken.</summary>
    Violation,
}
