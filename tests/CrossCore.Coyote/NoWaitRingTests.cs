using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>The ring of posting descriptors under Coyote (C1, C13): slot claim against release, the sender's wake-up.</summary>
public sealed class NoWaitRingTests(ITestOutputHelper output)
{
    private const string Scenario = "NoWaitRingScenarios.SenderLappingItsRingOnAParkingCore";

    [Fact]
    public void A_sender_lapping_its_ring_loses_no_post_and_no_wake_up_and_keeps_its_order() =>
        Verdict.Passes(CoyoteRunner.Real, Scenario, 200, output);
}
