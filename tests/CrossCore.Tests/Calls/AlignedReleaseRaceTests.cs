using CrossCore.Cli.Torture;
using CrossCore.Tests.Support;
using Xunit.Abstractions;

namespace CrossCore.Tests.Calls;

/// <summary>
/// O4 on the real fence: a Busy answer given at the instant the core releases the descriptor obliges the run in flight
/// to see the caller's write. The test that fails when the full fence after the release store
/// (<c>AsyncEntry.ReleaseBeforeInvoke</c>, mutant M2) is deleted, not only when a fault switch emulates that; its
/// rate is in docs/VERIFICATION.md.
/// </summary>
public sealed class AlignedReleaseRaceTests(ITestOutputHelper output)
{
    [Fact]
    public void O4_a_Busy_answer_at_the_release_instant_is_seen_by_the_run_in_flight()
    {
        var outcome = AlignedRaceEpisodes.Run(AlignedRaceTarget.Descriptor);
        output.WriteLine($"{outcome.Episodes} episodes, {outcome.Rounds} rounds, {outcome.Obliged} Busy answers, {outcome.Violations} violations");
        Assert.True(outcome.Obliged > 0, "no attempt came before the release: the race was never run");
        Assert.Equal(0, outcome.Violations);
    }
}
