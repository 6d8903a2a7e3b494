using CrossCore.Cli.Bench;
using CrossCore.Contenders;

namespace CrossCore.Tests.Bench;

/// <summary>Results of a made-up bench run for the report tests: this machine, unpinned, tiered JIT (checked).</summary>
internal static class BenchResultsFor
{
    /// <summary>One scenario with the given rows.</summary>
    public static BenchResults Scenario(ScenarioSpec spec, List<Measurement> rows)
    {
        var results = new BenchResults
        {
            Machine = MachineInfo.Capture(null),
            Placement = Placement.For(pin: false),
            Options = new BenchOptions(),
            JitMode = JitMode.Tiered,
            JitDescription = JitSettings.Describe(JitMode.Tiered),
            JitChecked = true,
        };
        results.Scenarios.Add((spec, rows));
        return results;
    }
}
