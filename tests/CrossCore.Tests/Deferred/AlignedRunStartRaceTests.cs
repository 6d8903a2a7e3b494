using CrossCore.Cli.Torture;
using CrossCore.Tests.Support;
using Xunit.Abstractions;

namespace CrossCore.Tests.Deferred;

/// <summary>
/// O6 on the real fence: a Coalesced answer given at the instant the core clears Pending obliges the run that clears
/// it to see the caller's write. The test that fails when the run start (<c>DeferredWork.Execute</c>'s one atomic add)
/// is a plain read and store (mutant M6), not only when a fault switch emulates that; its rate is in
/// docs/VERIFICATION.md.
/// </summary>
public sealed class AlignedRunStartRaceTests(ITestOutputHelper output)
{
    [Fact]
    public void O6_a_Coalesced_answer_at_the_run_start_is_seen_by_the_run()
    {
        var outcome = AlignedRaceEpisodes.Run(AlignedRaceTarget.Deferred);
        output.WriteLine($"{outcome.Episodes} episodes, {outcome.Rounds} rounds, {outcome.Obliged} Coalesced answers, {outcome.Violations} violations");
        Assert.True(outcome.Obliged > 0, "no attempt came before the run start: the race was never run");
        Assert.Equal(0, outcome.Violations);
    }
}
