using CrossCore.Tests.Support;
using Xunit.Abstractions;

namespace CrossCore.Tests.Cores;

/// <summary>
/// O7 on the real fence: a post that sends no wake-up because the core was not parked yet obliges the core's re-check
/// before it blocks to find the post. The test that fails when the park is published by a release store instead of
/// <c>Parker.PrepareToPark</c>'s exchange (mutant M7a), not only when a fault switch emulates that; its rate is in
/// docs/VERIFICATION.md.
/// </summary>
public sealed class AlignedParkRaceTests(ITestOutputHelper output)
{
    [Fact]
    public void O7_a_post_that_sends_no_wake_up_is_found_by_the_cores_re_check_before_it_parks()
    {
        var outcome = AlignedRaceEpisodes.RunParkRace();
        output.WriteLine($"{outcome.Episodes} episodes, {outcome.Rounds} rounds, {outcome.Obliged} posts without a wake-up, {outcome.Violations} violations");
        Assert.True(outcome.Obliged > 0, "no post came before the core parked: the race was never run");
        Assert.Equal(0, outcome.Violations);
    }
}
