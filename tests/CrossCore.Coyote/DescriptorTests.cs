using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Descriptor claim, release and Busy under Coyote (C2, O1, O4 under sequential consistency).</summary>
public sealed class DescriptorTests(ITestOutputHelper output)
{
    private const string Scenario = "DescriptorScenarios.ThreeRacersOnOneDescriptor";

    [Fact]
    public void Three_racers_on_one_descriptor_queue_it_exactly_once_per_release_and_Busy_is_seen() =>
        Verdict.Passes(CoyoteRunner.Real, Scenario, 200, output, memoryAccesses: true);

    [Fact]
    public void Three_racers_on_one_descriptor_under_random_schedules() =>
        Verdict.Passes(CoyoteRunner.Real, Scenario, 100, output, memoryAccesses: true, strategy: Strategy.Random);

    // Seed 1's bug needs a preemption between one racer's plain read of the flags and its plain write, a window of one
    // scheduling point (the rewriter puts one at every field load and store). PCT's 10 priority changes, spread over a
    // schedule of about 450 steps, rarely land there (200 schedules found nothing); the random strategy decides at
    // every step.
    [Fact]
    public void Mutant_seed_1_plain_claim_is_found() =>
        Verdict.Finds("M1-plain-claim", Scenario, 100, output, memoryAccesses: true, strategy: Strategy.Random);
}
