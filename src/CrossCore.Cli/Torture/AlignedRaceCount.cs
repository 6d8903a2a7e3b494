namespace CrossCore.Cli.Torture;

/// <summary>How the torture's racers count a round (<see cref="AlignedRacer"/>, <see cref="AlignedParkRacer"/>).</summary>
internal static class AlignedRaceCount
{
    /// <summary>
    /// Counts <paramref name="outcome"/>: every raced round in <paramref name="rounds"/>, the obliging ones (and the
    /// violations, which are obliging rounds that failed) in <paramref name="obliged"/>; a skipped round in neither.
    /// Returns true for a violation, which the racer then records with its own kind and words.
    /// </summary>
    public static bool Add(AlignedRaceRound outcome, ref long rounds, ref long obliged)
    {
        if (outcome == AlignedRaceRound.Skipped)
        {
            return false;
        }

        rounds++;
        if (outcome == AlignedRaceRound.Accepted)
        {
            return false;
        }

        obliged++;
        return outcome == AlignedRaceRound.Violation;
    }
}
