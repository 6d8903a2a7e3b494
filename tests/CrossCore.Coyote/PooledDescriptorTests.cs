using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Pooled internal descriptors under Coyote (C13): never re-armed while queued.</summary>
public sealed class PooledDescriptorTests(ITestOutputHelper output)
{
    [Fact]
    public void A_throwing_condition_then_a_waiting_call_never_re_arms_a_queued_descriptor() =>
        Verdict.Passes(CoyoteRunner.Real, "PooledDescriptorScenarios.ThrowingConditionThenAWaitingCall", 200, output);
}
