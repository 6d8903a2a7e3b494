using CrossCore.Tests.Support;
using Xunit.Abstractions;

namespace CrossCore.Tests.Calls;

/// <summary>
/// O4 on the real fence: a Busy answer given at the instant the core releases the descriptor obliges the run in flight
/// to see the caller's write. The test that fails when the full fence after the release store
/// (<c>AsyncEntry.ReleaseBeforeInvoke</c>) is deleted, not when a fault switch emulates that.
/// </summary>
public sealed class AlignedReleaseRaceTests(ITestOutputHelper output)
{
    [Fact]
    public void O4_a_Busy_answer_at_the_release_instant_is_seen_by_the_run_in_flight()
    {
        using var set = Sets.Create(2);
        var log = new AlignedRace.Log();
        var descriptor = new CallDescriptor<AlignedRace.Log>(static l => l.Record(), log);
        var outcome = AlignedRace.Run(set, 1, Rounds, log,
            queue: () => set.TryPost(1, descriptor) == CallResult.Ok,
            attempt: () => set.TryPost(1, descriptor) == CallResult.Busy,
            quiet: () => !descriptor.IsInFlight);
        output.WriteLine($"{outcome.Rounds} rounds, {outcome.Obliged} obliging answers, {outcome.Violations} violations");
        Assert.True(outcome.Obliged > 0, "no attempt came before the release: the race was never run");
        Assert.Equal(0, outcome.Violations);
    }

    /// <summary>Rounds per run: enough that the mutant without the fence is caught in 10 of 10 runs (docs/VERIFICATION.md).</summary>
    internal const int Rounds = 100_000;
}
