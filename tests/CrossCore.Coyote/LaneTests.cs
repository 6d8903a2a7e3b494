using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Sender lanes under Coyote: a dispose racing lane calls (C9) and lane calls to a parking core (O7).</summary>
public sealed class LaneTests(ITestOutputHelper output)
{
    private const string Dispose = "LaneScenarios.LaneCallsRacingDispose";
    private const string Parking = "LaneScenarios.LaneCallsToAParkingCore";

    [Fact]
    public void Lane_calls_racing_dispose_run_exactly_once_or_are_refused()
    {
        Verdict.Passes(CoyoteRunner.Real, Dispose, 200, output);
        Verdict.Passes(CoyoteRunner.Real, Dispose, 300, output, strategy: Strategy.Random); // the strategy that finds L1
    }

    [Fact]
    public void Lane_calls_to_a_parking_core_are_never_left_unserved() =>
        Verdict.Passes(CoyoteRunner.Real, Parking, 200, output);

    // The core's scans after the close take a pending request without the contest: the owner, who saw the close, takes
    // it back too, and the function runs twice. The window needs the publish between the core's last scan before the close
    // and the close, and the core's scan after it between the owner's read of the close and its CAS: PCT's few, well-placed
    // preemptions found nothing in 2000 schedules; a fresh random choice at every step finds it at schedule 20.
    [Fact]
    public void Mutant_uncontested_take_after_close_is_found() =>
        Verdict.Finds("L1-lane-take-uncontested", Dispose, 300, output, strategy: Strategy.Random);

    // The owner never looks at the close: a request published after the core's last scan is never run.
    [Fact]
    public void Mutant_owner_ignores_the_close_is_found() =>
        Verdict.Finds("L2-lane-close-ignored", Dispose, 300, output);

    // The park re-check does not look at the lanes: a request published just before the core parks is lost.
    [Fact]
    public void Mutant_park_recheck_without_lanes_is_found() =>
        Verdict.Finds("L3-park-recheck-without-lanes", Parking, 300, output);
}
