using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Waiting calls between cores in task context (O8) and many-calls with conditions (C3) under Coyote.</summary>
public sealed class TaskContextTests(ITestOutputHelper output)
{
    [Fact]
    public void Two_cores_calling_each_other_synchronously_never_deadlock() =>
        Verdict.Passes(CoyoteRunner.Real, "TaskContextScenarios.TwoCoresCallEachOtherSynchronously", 150, output);

    [Fact]
    public void OnEachCore_with_a_condition_racing_CallMany_runs_once_per_chosen_core() =>
        Verdict.Passes(CoyoteRunner.Real, "TaskContextScenarios.ManyCallsWithAConditionRaceACallMany", 100, output);
}
