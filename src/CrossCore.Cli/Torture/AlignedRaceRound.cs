namespace CrossCore.Cli.Torture;

/// <summary>How one round of an aligned race ended.</summary>
internal enum AlignedRaceRound
{
    /// <summary>Not raced: the core was offline, or the racer was asked to stop while it waited.</summary>
    Skipped,

    /// <summary>The attempt came after the release: a second run was queued.</summary>
    Accepted,

    /// <summary>The attempt got the obliging answer and the run in flight saw the datum.</summary>
    Obliged,

    /// <summary>The attempt got the obliging answer and the run in flight missed the datum: the rule is broken.</summary>
    Violation,
}
