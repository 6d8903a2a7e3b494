using CrossCore.Tests.Support;
using Xunit.Abstractions;

namespace CrossCore.Tests.Cores;

/// <summary>
/// O7 on the caller's side, on the real fence: a core that releases a waiting call and sends no wake-up because the
/// caller was not parked yet obliges the caller's re-check before it blocks to find the release. The tests that fail
/// when the release is a release store instead of the exchange (mutant E4, <c>SyncCall.Execute</c>; mutant L5,
/// <c>LaneCall.Execute</c>), not only when a fault switch emulates that; their rates are in docs/VERIFICATION.md.
/// </summary>
public sealed class AlignedWaitRaceTests(ITestOutputHelper output)
{
    [Fact]
    public void O7_a_release_that_sends_no_wake_up_is_found_by_the_callers_re_check_before_it_parks()
    {
        var outcome = AlignedRaceEpisodes.RunWaitRace(senderLaneCount: 0);
        Report(outcome);
    }

    [Fact]
    public void O7_a_sender_lanes_release_that_sends_no_wake_up_is_found_by_the_callers_re_check_before_it_parks()
    {
        var outcome = AlignedRaceEpisodes.RunWaitRace(senderLaneCount: new CoreSetOptions().SenderLaneCount);
        Report(outcome);
    }

    private void Report(AlignedRaceEpisodes.Outcome outcome)
    {
        output.WriteLine($"{outcome.Episodes} episodes, {outcome.Rounds} rounds, {outcome.Obliged} releases without a wake-up, {outcome.Violations} violations");
        Assert.True(outcome.Obliged > 0, "no release came before the caller parked: the race was never run");
        Assert.Equal(0, outcome.Violations);
    }
}
