using CrossCore.Tests.Support;
using Xunit.Abstractions;

namespace CrossCore.Tests.Deferred;

/// <summary>
/// O6 on the real fence: a Coalesced answer given at the instant the core clears Pending obliges the run that clears
/// it to see the caller's write. The test that fails when the run start (<c>DeferredWork.Execute</c>'s one atomic add)
/// is a plain read and store, not when a fault switch emulates that.
/// </summary>
public sealed class AlignedRunStartRaceTests(ITestOutputHelper output)
{
    [Fact]
    public void O6_a_Coalesced_answer_at_the_run_start_is_seen_by_the_run()
    {
        using var set = Sets.Create(2);
        var log = new AlignedRace.Log();
        var work = new DeferredWork<AlignedRace.Log>(set, static l => l.Record(), log);
        var outcome = AlignedRace.Run(set, 1, Calls.AlignedReleaseRaceTests.Rounds, log,
            queue: () => work.QueueOn(1) == QueueResult.Queued,
            attempt: () => work.QueueOn(1) == QueueResult.Coalesced,
            quiet: () => !work.IsBusy);
        output.WriteLine($"{outcome.Rounds} rounds, {outcome.Obliged} obliging answers, {outcome.Violations} violations");
        Assert.True(outcome.Obliged > 0, "no attempt came before the run start: the race was never run");
        Assert.Equal(0, outcome.Violations);
    }
}
