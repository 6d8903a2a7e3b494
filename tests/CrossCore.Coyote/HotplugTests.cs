using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Offline / Online racing calls, deferred work and Dispose under Coyote (C8, C9, §5.4, §6).</summary>
public sealed class HotplugTests(ITestOutputHelper output)
{
    [Fact]
    public void Offline_and_Online_racing_a_call_and_deferred_work_lose_nothing() =>
        Verdict.Passes(CoyoteRunner.Real, "HotplugScenarios.OfflineOnlineRacingACallAndDeferredWork", 150, output);

    // Fails on this branch (issue 17 item 1): Coyote finds the hang at schedule 5 (a deadlock: the offlining thread
    // parked, the core stopped) and replays it. The fix is made on i17-engine.
    [Fact]
    public void Offline_racing_Dispose_returns() =>
        Verdict.Passes(CoyoteRunner.Real, "HotplugScenarios.OfflineRacingDispose", 200, output);
}
