using CrossCore.Cli.Torture;

namespace CrossCore.Tests.Torture;

/// <summary>
/// The torture's checks on a correct runtime (they must not fire) and on a harness broken on purpose (each must fire
/// when the rule it guards is broken: a check that never fires proves nothing).
/// </summary>
[Collection("FaultInjection")] // the engine may touch the process-global fault switches; run alone
public sealed class TortureCheckTests
{
    [Fact]
    public void A_mixed_run_of_every_primitive_with_hotplug_succeeds()
    {
        var result = TortureRuns.Run(new TortureOptions
        {
            Cores = 2,
            OutsideInvokers = 1,
            Iterations = 20_000,
            HotplugInterval = TimeSpan.FromMilliseconds(10),
            Seed = 42,
        });

        Assert.True(result.Success, TortureRuns.Describe(result));
        Assert.Equal(result.Accepted, result.Executed);
        Assert.True(result.Accepted > 0);
        Assert.True(result.OfflineOps > 0 && result.OnlineOps >= result.OfflineOps, "hotplug ran");
        Assert.All(result.Primitives, p => Assert.True(p.Attempts > 0, $"{p.Name} was never tried"));
    }

    [Fact]
    public void An_oversubscribed_run_with_more_cores_than_hardware_threads_succeeds()
    {
        var result = TortureRuns.Run(new TortureOptions
        {
            Cores = Environment.ProcessorCount * 2,
            OutsideInvokers = 2,
            Iterations = 5_000,
            HotplugInterval = TimeSpan.FromMilliseconds(10),
            Delay = DelayKind.Long,
            Seed = 7,
        });

        Assert.True(result.Success, TortureRuns.Describe(result));
        Assert.Equal(result.Accepted, result.Executed);
    }

    [Fact]
    public void The_same_seed_makes_the_same_choices()
    {
        static TortureOptions Options() => new()
        {
            Cores = 2,
            CoreInvokers = 0,
            OutsideInvokers = 1,
            Iterations = 2_000,
            Hotplug = false,
            Weights = PrimitiveWeights.Only(Primitive.SingleWait, Primitive.Many, Primitive.Any, Primitive.EachCond),
            Seed = 12345,
        };

        var first = TortureRuns.Run(Options());
        var second = TortureRuns.Run(Options());
        Assert.True(first.Success, TortureRuns.Describe(first));
        Assert.Equal(first.Primitives.Select(p => p.Attempts), second.Primitives.Select(p => p.Attempts));
        Assert.Equal(first.Accepted, second.Accepted); // the same targets, masks and conditions
    }

    [Theory]
    [InlineData("skip-in", "missed-caller-write")]     // the caller's write before the call is not made
    [InlineData("skip-out", "missed-function-write")]  // the function's write seen after the wait is not made
    [InlineData("wrong-core", "wrong-core")]           // calls go to a core other than the intended one
    [InlineData("late-write", "missed-caller-write")]  // own descriptor/work datum written after the attempt
    [InlineData("resume-elsewhere", "resumed-elsewhere")] // the async task body leaves its core's context
    [InlineData("forget-run", "lost")]                 // a run goes uncounted: accepted > executed
    [InlineData("count-twice", "duplicate")]           // a run counts twice: executed > accepted
    [InlineData("skip-trigger", "last-trigger-lost")]  // shared deferred work queued without its datum
    [InlineData("run-cancelled", "ran-after-cancel")]  // an awaited call that ended canceled runs anyway, later
    public void Each_check_fires_when_the_harness_breaks_its_rule(string sabotage, string kind)
    {
        Assert.True(Sabotages.TryParse(sabotage, out var s));
        var result = TortureRuns.Run(new TortureOptions
        {
            Cores = 2,
            OutsideInvokers = 1,
            Iterations = 2_000,
            Hotplug = false,
            Seed = 99,
            Sabotage = s,
        });

        Assert.Equal("FAILURE", result.Verdict);
        Assert.Contains(result.ViolationKinds, v => v.Kind == kind && v.Count > 0);
        Assert.StartsWith("FAILURE: ", result.Summary);
        Assert.Contains("seed 99", result.Summary);
    }
}
