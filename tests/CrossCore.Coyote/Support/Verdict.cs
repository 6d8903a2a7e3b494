using Xunit.Abstractions;

namespace CrossCore.Coyote.Support;

/// <summary>The two verdicts a Coyote test asks for.</summary>
internal static class Verdict
{
    /// <summary>No schedule of <paramref name="scenario"/> breaks a check.</summary>
    public static void Passes(string variant, string scenario, uint iterations, ITestOutputHelper output, bool memoryAccesses = false, Strategy strategy = Strategy.Pct)
    {
        var result = CoyoteRunner.Explore(variant, scenario, iterations, output, memoryAccesses, strategy);
        Assert.False(result.FoundBug, $"Coyote found a schedule that breaks {scenario}: {result.Bug}");
    }

    /// <summary>Coyote finds a failing schedule of <paramref name="scenario"/> on <paramref name="variant"/>, and its replay fails the same way.</summary>
    public static void Finds(string variant, string scenario, uint iterations, ITestOutputHelper output, bool memoryAccesses = false, Strategy strategy = Strategy.Pct)
    {
        var result = CoyoteRunner.Explore(variant, scenario, iterations, output, memoryAccesses, strategy);
        Assert.True(result.FoundBug, $"Coyote explored {result.Iterations} schedules of {scenario} on {variant} and found nothing");
        Assert.True(result.Replayed is not null, "the failing schedule did not reproduce when replayed");
    }
}
