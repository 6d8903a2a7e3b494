using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Awaitable calls under Coyote (C12, C13): cancellation racing the start, the pooled entry's two owners.</summary>
public sealed class AwaitableTests(ITestOutputHelper output)
{
    private const string Scenario = "AwaitableScenarios.CancellationRacingTheStart";
    private const string Owners = "AwaitableScenarios.OwnersOfACancelledCallLetGoAtOnce";

    // The real code under both strategies: PCT with plain field loads and stores as scheduling points too, and random
    // (a fresh choice at every step) without them. Each also checks that its schedules reached both outcomes (the
    // core started the call; the token won), so the race is really explored: under random schedules with plain
    // accesses the core's way to its start has so many steps that the token always won (100 of 100), hence none there.
    [Fact]
    public void Cancellation_racing_the_start_ends_the_task_once_never_runs_a_cancelled_call_and_returns_the_entry_once() =>
        PassesWithBothOutcomes(200, memoryAccesses: true, Strategy.Pct);

    [Fact]
    public void Cancellation_racing_the_start_under_random_schedules() =>
        PassesWithBothOutcomes(200, memoryAccesses: false, Strategy.Random);

    [Fact]
    public void The_owners_of_a_cancelled_call_letting_go_at_once_return_the_entry_exactly_once() =>
        Verdict.Passes(CoyoteRunner.Real, Owners, 150, output, memoryAccesses: true);

    // M11's window is on the core's side (between its read and its write of the phase), and the token's thread is let
    // go just before the core reaches it: found by the random strategy at schedule 19 of 300 (PCT found it too, at
    // 124 before the harness set the awaiter's spin to zero).
    [Fact]
    public void Mutant_check_then_set_start_is_found() =>
        Verdict.Finds("M11-awaitable-plain-start", Scenario, 300, output, strategy: Strategy.Random);

    // M12's window is on the awaiter's side (a plain read then a plain write of the count) while core 1 has a long way
    // to go before it drops its own reference: PCT finds that (one priority change held inside the window); the random
    // strategy would have to hold the awaiter still for the whole of the core's way. Found at 138, the same in every run
    // since the harness set the awaiter's clock-bounded spin to zero (before, it was missed in 300 in one CI run and its
    // replay diverged in others): 2000 schedules at most, stopping at the first bug.
    [Fact]
    public void Mutant_plain_reference_release_is_found() =>
        Verdict.Finds("M12-awaitable-plain-release", Owners, 2000, output, memoryAccesses: true);

    private void PassesWithBothOutcomes(uint iterations, bool memoryAccesses, Strategy strategy)
    {
        var outcomes = (int[])VariantLoadContext.Scenarios(CoyoteRunner.Real)
            .GetType("CrossCore.Coyote.Scenarios.AwaitableScenarios", throwOnError: true)!
            .GetField("Outcomes")!.GetValue(null)!;
        Array.Clear(outcomes);
        Verdict.Passes(CoyoteRunner.Real, Scenario, iterations, output, memoryAccesses, strategy);
        output.WriteLine($"outcomes: started and completed {outcomes[0]} times, cancelled before the start {outcomes[1]} times");
        Assert.True(outcomes[0] > 0 && outcomes[1] > 0, $"the schedules reached only one outcome (started {outcomes[0]}, cancelled {outcomes[1]}): the race was not explored");
    }
}
