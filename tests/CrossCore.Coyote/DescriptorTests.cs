using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Descriptor claim, release and Busy under Coyote (C2, O1, O4 under sequential consistency).</summary>
public sealed class DescriptorTests(ITestOutputHelper output)
{
    [Fact]
    public void Three_racers_on_one_descriptor_queue_it_exactly_once_per_release_and_Busy_is_seen()
    {
        var result = CoyoteRunner.Explore(CoyoteRunner.Real, "DescriptorScenarios.ThreeRacersOnOneDescriptor", 200, output, memoryAccesses: true);
        Assert.False(result.FoundBug, result.Bug);
    }

    [Fact]
    public void Mutant_seed_1_plain_claim_is_found()
    {
        var result = CoyoteRunner.Explore("M1-plain-claim", "DescriptorScenarios.ThreeRacersOnOneDescriptor", 200, output, memoryAccesses: true);
        Assert.True(result.FoundBug, "Coyote did not find seed 1's plain claim");
        Assert.NotNull(result.Replayed);
    }
}
