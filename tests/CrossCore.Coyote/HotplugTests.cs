using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Offline / Online racing calls, deferred work and Dispose under Coyote (C8, C9, §5.4, §6).</summary>
public sealed class HotplugTests(ITestOutputHelper output)
{
    [Fact]
    public void Offline_and_Online_racing_a_call_and_deferred_work_lose_nothing() =>
        Verdict.Passes(CoyoteRunner.Real, "HotplugScenarios.OfflineOnlineRacingACallAndDeferredWork", 150, output);

    [Fact]
    public void Offline_racing_Dispose_returns() =>
        Verdict.Passes(CoyoteRunner.Real, "HotplugScenarios.OfflineRacingDispose", 200, output);

    // The code before 03aef7a: the stopping core never completes an armed offline transition (a deadlock).
    [Fact]
    public void Mutant_offline_racing_Dispose_is_found() =>
        Verdict.Finds("M8-offline-racing-dispose", "HotplugScenarios.OfflineRacingDispose", 200, output);
}
