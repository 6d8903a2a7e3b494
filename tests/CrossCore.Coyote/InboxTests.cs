using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Inbox push, poll/park and wake-up with several senders under Coyote (O3, O7, O4).</summary>
public sealed class InboxTests(ITestOutputHelper output)
{
    private const string Scenario = "InboxScenarios.ThreeSendersToAParkingCore";

    [Fact]
    public void Three_senders_to_a_parking_core_lose_no_wake_up_and_run_everything_once() =>
        Verdict.Passes(CoyoteRunner.Real, Scenario, 200, output);

    [Fact]
    public void Mutant_park_without_its_recheck_is_found() =>
        Verdict.Finds("M7-park-without-recheck", Scenario, 200, output);
}
