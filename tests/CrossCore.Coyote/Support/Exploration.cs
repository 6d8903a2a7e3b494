namespace CrossCore.Coyote.Support;

/// <summary>What one Coyote exploration of one scenario found.</summary>
/// <param name="Iterations">Schedules explored (up to and including the failing one, if a bug was found).</param>
/// <param name="Bug">The first bug's report, or null.</param>
/// <param name="Trace">The reproducible schedule of the failing iteration, or null.</param>
/// <param name="Replayed">The bug report of the replay of <paramref name="Trace"/>, or null.</param>
public sealed record Exploration(int Iterations, string? Bug, string? Trace, string? Replayed)
{
    /// <summary>True if Coyote found a bug.</summary>
    public bool FoundBug => Bug is not null;
}
