using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Pooled internal descriptors under Coyote (C13): never re-armed while queued.</summary>
public sealed class PooledDescriptorTests(ITestOutputHelper output)
{
    // Fails on this branch (C13, issue 17 item 3): Coyote finds it in the first schedule ("the waiting call's
    // function ran twice": the pooled descriptor re-armed and pushed while still queued). The lead fixes it in main.
    [Fact]
    public void A_throwing_condition_then_a_waiting_call_never_re_arms_a_queued_descriptor() =>
        Verdict.Passes(CoyoteRunner.Real, "PooledDescriptorScenarios.ThrowingConditionThenAWaitingCall", 200, output);
}
