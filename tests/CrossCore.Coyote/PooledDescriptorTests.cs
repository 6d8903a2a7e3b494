using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Pooled internal descriptors under Coyote (C13): never re-armed while queued.</summary>
public sealed class PooledDescriptorTests(ITestOutputHelper output)
{
    private const string Scenario = "PooledDescriptorScenarios.ThrowingConditionThenAWaitingCall";

    [Fact]
    public void A_throwing_condition_then_a_waiting_call_never_re_arms_a_queued_descriptor() =>
        Verdict.Passes(CoyoteRunner.Real, Scenario, 200, output);

    // The code before 1e16ac0: the condition throws after core 1 was queued, and the next waiting call re-arms the
    // descriptor still queued there.
    [Fact]
    public void Mutant_rearmed_pooled_descriptor_is_found() =>
        Verdict.Finds("M10-rearmed-sync-descriptor", Scenario, 200, output);
}
