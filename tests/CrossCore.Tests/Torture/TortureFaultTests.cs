using CrossCore.Cli.Torture;
using CrossCore.Tests.Support;

namespace CrossCore.Tests.Torture;

/// <summary>
/// The runtime's fault switches (FaultInjection, test-only) each break one rule; the torture must catch each one
/// with the violation that names the rule, and must stay clean without them. Ordering faults show only when a store
/// and a load really race on two CPUs, so their runs use the store-buffering shape (pinned threads, a hot target, a
/// tight re-queue loop) in bounded rounds of 40 000 requests, stopping at the first detection; on this 2-CPU VM one
/// round (1-2 s) almost always suffices.
/// </summary>
[Collection("FaultInjection")]
public sealed class TortureFaultTests
{
    private static bool TwoCpus => Environment.ProcessorCount >= 2; // a store-buffering race needs two CPUs

    [Fact]
    public void Without_a_fault_the_store_buffering_shapes_succeed_with_many_busy_and_coalesced_answers()
    {
        var asyncRun = TortureRuns.Run(TortureRuns.StoreBufferingShape(Primitive.AsyncOwn, RuntimeFault.None, 1));
        Assert.True(asyncRun.Success, TortureRuns.Describe(asyncRun));
        Assert.True(asyncRun.Primitives[0].Busy > 1_000, TortureRuns.Describe(asyncRun));

        var deferredRun = TortureRuns.Run(TortureRuns.StoreBufferingShape(Primitive.DeferredOwn, RuntimeFault.None, 1));
        Assert.True(deferredRun.Success, TortureRuns.Describe(deferredRun));
        Assert.True(deferredRun.Primitives[0].Coalesced > 1_000, TortureRuns.Describe(deferredRun));
    }

    // The two fence faults below use the widest reordering a missing fence permits (FaultInjection.Reorder*): with
    // the run record off the senders' cache lines the core's store buffer drains so fast that the literal fence
    // removal (skip-async-fence, skip-deferred-fence) rarely shows in this shape. The literal removal is shown
    // formally by the spin models (models/descriptor.pml BUG_ASYNC_NO_FENCE, models/deferred.pml BUG_NO_FENCE) and, on
    // a quiet machine, by the opt-in hardware litmus in tests/CrossCore.Tests/Calls/CallAsyncTests.cs (CROSSCORE_LITMUS=1).
    [Fact]
    public void A_missing_fence_after_an_async_release_is_caught_as_busy_not_seen()
    {
        if (!TwoCpus)
        {
            return;
        }

        var result = TortureRuns.RunUntil(
            seed => TortureRuns.StoreBufferingShape(Primitive.AsyncOwn, RuntimeFault.ReorderAsyncRelease, seed),
            r => TortureRuns.Count(r, ViolationKind.BusyNotSeen) > 0,
            maxRounds: 8);

        Assert.True(TortureRuns.Count(result, ViolationKind.BusyNotSeen) > 0, TortureRuns.Describe(result));
        Assert.Equal("FAILURE", result.Verdict);
    }

    [Fact]
    public void A_missing_fence_before_a_deferred_function_is_caught_as_coalesced_not_seen()
    {
        if (!TwoCpus)
        {
            return;
        }

        var result = TortureRuns.RunUntil(
            seed => TortureRuns.StoreBufferingShape(Primitive.DeferredOwn, RuntimeFault.ReorderDeferredClear, seed),
            r => TortureRuns.Count(r, ViolationKind.CoalescedNotSeen) > 0,
            maxRounds: 8);

        Assert.True(TortureRuns.Count(result, ViolationKind.CoalescedNotSeen) > 0, TortureRuns.Describe(result));
    }

    // The aligned racer (AlignedRacer) on its own: the one invoker makes only waiting calls, which these faults do not
    // touch, so a busy-not-seen or coalesced-not-seen can only be the racer's. The real fence removals (mutants M2, M6)
    // are caught by the same race in AlignedReleaseRaceTests and AlignedRunStartRaceTests; their rates are in
    // docs/VERIFICATION.md.
    [Fact]
    public void The_aligned_racer_alone_catches_a_missing_fence_after_an_async_release() =>
        RacerAloneCatches(RuntimeFault.ReorderAsyncRelease, ViolationKind.BusyNotSeen);

    [Fact]
    public void The_aligned_racer_alone_catches_a_missing_fence_before_a_deferred_function() =>
        RacerAloneCatches(RuntimeFault.ReorderDeferredClear, ViolationKind.CoalescedNotSeen);

    private static void RacerAloneCatches(RuntimeFault fault, ViolationKind kind)
    {
        const long minRounds = 20_000; // the bound that matters: the racer's rounds, however slowly a loaded machine runs them
        var result = TortureRuns.RunUntil(
            seed => new TortureOptions
            {
                Cores = 2,
                OutsideInvokers = 1,
                CoreInvokers = 0,
                Weights = PrimitiveWeights.Only(Primitive.SingleWait),
                Hotplug = false,
                Delay = DelayKind.None,
                Iterations = 1_000,
                MinAlignedRounds = minRounds,
                Seed = seed,
                Fault = fault,
            },
            r => TortureRuns.Count(r, kind) > 0,
            maxRounds: 8);

        Assert.True(result.AlignedRounds >= minRounds, TortureRuns.Describe(result));
        Assert.True(TortureRuns.Count(result, kind) > 0, TortureRuns.Describe(result));
        Assert.Contains("aligned race", result.ViolationKinds.First(v => v.Kind == kind.Name()).Example);
    }

    [Fact]
    public void The_2012_racy_deferred_claim_is_caught_as_coalesced_not_seen()
    {
        if (!TwoCpus)
        {
            return;
        }

        var result = TortureRuns.RunUntil(
            seed => TortureRuns.StoreBufferingShape(Primitive.DeferredOwn, RuntimeFault.RacyDeferredClaim, seed),
            r => TortureRuns.Count(r, ViolationKind.CoalescedNotSeen) > 0,
            maxRounds: 8);

        Assert.True(TortureRuns.Count(result, ViolationKind.CoalescedNotSeen) > 0, TortureRuns.Describe(result));
    }

    [Fact]
    public void Dropped_async_entries_are_caught_as_lost()
    {
        var result = TortureRuns.Run(new TortureOptions
        {
            Cores = 2,
            CoreInvokers = 0,
            OutsideInvokers = 1,
            Weights = PrimitiveWeights.Only(Primitive.Async, Primitive.AsyncOwn),
            Hotplug = false,
            Iterations = 5_000,
            Seed = 3,
            Fault = RuntimeFault.DropAsync,
            FaultCount = 2,
            AlignedRace = false, // its gates and targets are async entries too: they would take the two drops
        });

        Assert.True(TortureRuns.Count(result, ViolationKind.Lost) >= 2, TortureRuns.Describe(result));
        Assert.True(result.Accepted - result.Executed == 2, TortureRuns.Describe(result));
    }

    [Fact]
    public void Async_entries_run_twice_are_caught_as_duplicates()
    {
        // The second run releases the descriptor again: if its owner re-claimed it in the instant between the two
        // runs, the inbox is corrupted and a core thread loops forever, so this runs in a child process. One owner,
        // a hot (polling) target that runs each claim within a microsecond, and 50-100 µs between the owner's
        // requests make that instant practically impossible to hit, so the duplicate shows instead.
        var run = TortureRuns.RunCli(
            TimeSpan.FromSeconds(90),
            "--weights", "async_own=1", "--cores", "2", "--no-hotplug", "--iterations", "5000", "--seed", "4",
            "--core-invokers", "0", "--outside-invokers", "1", "--outside-gap-us", "100", "--poll-us", "2000",
            "--spin-one-in", "1000000000", "--fault", "double-run-async", "--fault-count", "1", "--stall-timeout", "5", "--quiet",
            "--no-aligned-race"); // the racer's gates and targets are async entries too: one would take the double run

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.NotNull(run.Json);
        Assert.True(TortureRuns.Count(run.Json, ViolationKind.Duplicate) >= 1, run.Output);
        var root = run.Json.RootElement;
        Assert.Equal(root.GetProperty("accepted").GetInt64() + 1, root.GetProperty("executed").GetInt64());
    }

    // The literal fence removal: it shows only when the hardware reorders the store of Parked past the re-check in
    // the few instructions between them, which this shared VM did not do in CI's run (SUCCESS after 8 rounds). So it
    // is an opt-in litmus (CROSSCORE_LITMUS=1). What catches the bug every time: the spin model
    // (inbox/bug-park-no-fence in models/verify.sh, a CI step), and for the re-check it orders, the Coyote mutant M7
    // and CI's park-dense torture.
    [HardwareLitmusFact]
    public void A_missing_fence_before_parking_is_caught_as_a_lost_wakeup()
    {
        if (!TwoCpus)
        {
            return;
        }

        // Idle cores that park at once, waiters that park at once, a short stuck-call timeout (the only thing that
        // rescues a lost wake-up): a waiter that returns about a whole timeout after its function finished slept
        // through the release's wake-up.
        var result = TortureRuns.RunUntil(
            seed => new TortureOptions
            {
                Cores = 2,
                CoreInvokers = 0,
                OutsideInvokers = 4,
                PollDuration = TimeSpan.Zero,
                StuckCallTimeout = TimeSpan.FromMilliseconds(150),
                Weights = PrimitiveWeights.Only(Primitive.SingleWait),
                Hotplug = false,
                Iterations = 40_000,
                Seed = seed,
                Fault = RuntimeFault.SkipParkFence,
            },
            r => TortureRuns.Count(r, ViolationKind.LostWakeup) > 0,
            maxRounds: 8);

        Assert.True(TortureRuns.Count(result, ViolationKind.LostWakeup) > 0, TortureRuns.Describe(result));
    }

    [Fact]
    public void The_racy_descriptor_claim_is_caught_in_a_child_process()
    {
        // Two racers both "claim" one descriptor and push it twice: usually a cycle in an inbox, so a core thread
        // loops forever (only a process exit ends it), else a duplicate or lost run. Either way: FAILURE, exit 1.
        // Four outside racers on one shared descriptor make the double claim happen within seconds.
        // The double claim needs two racers truly running at once on the two CPUs, which a loaded machine (the rest
        // of the suite) sometimes denies a whole run; so up to five bounded runs with different seeds, stopping at
        // the first FAILURE. The test still cannot pass unless the fault was caught.
        TortureRuns.CliRun? run = null;
        for (var seed = 5; seed < 10; seed++)
        {
            run = TortureRuns.RunCli(
                TimeSpan.FromSeconds(90),
                "--weights", "async=1", "--cores", "2", "--no-hotplug", "--iterations", "2000000", "--seed", seed.ToString(System.Globalization.CultureInfo.InvariantCulture), "--delay", "none",
                "--core-invokers", "0", "--outside-invokers", "4", "--shared-objects", "1",
                "--fault", "racy-descriptor-claim", "--stall-timeout", "2", "--quiet",
                "--no-aligned-race"); // the racers' threads (and the park racer's set) take CPU from the four racers whose overlap the fault needs
            if (run.ExitCode == 1)
            {
                break;
            }
        }

        Assert.NotNull(run);
        Assert.True(run.ExitCode == 1, run.Output);
        Assert.NotNull(run.Json);
        Assert.Equal("FAILURE", run.Json.RootElement.GetProperty("verdict").GetString());
        var caught = TortureRuns.Count(run.Json, ViolationKind.Hang) + TortureRuns.Count(run.Json, ViolationKind.Duplicate) + TortureRuns.Count(run.Json, ViolationKind.Lost);
        Assert.True(caught > 0, run.Output);
    }

    [Fact]
    public void A_hang_is_ended_by_the_watchdog_with_what_each_core_is_doing()
    {
        // A dropped no-wait call is never released: its sender waits forever for its descriptor (C1).
        var run = TortureRuns.RunCli(
            TimeSpan.FromSeconds(90),
            "--weights", "single=1", "--cores", "2", "--no-hotplug", "--iterations", "20000", "--seed", "6",
            "--fault", "drop-async", "--stall-timeout", "2", "--stuck-timeout", "300", "--quiet",
            "--no-aligned-race"); // the park racer's gates are async entries too: one that took the drop hung only that racer, and the run passed

        Assert.True(run.ExitCode == 1, run.Output);
        Assert.Contains("violation hang", run.Output);
        Assert.Contains("core 0: ", run.Output);
        Assert.Contains("core 1: ", run.Output);
        Assert.Contains("stuck-call reports: ", run.Output);
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.StartsWith("FAILURE: ", lines[^1]);
        Assert.NotNull(run.Json);
        Assert.Equal("FAILURE", run.Json.RootElement.GetProperty("verdict").GetString());
        Assert.True(TortureRuns.Count(run.Json, ViolationKind.Hang) == 1, run.Output);
        Assert.False(string.IsNullOrEmpty(run.Json.RootElement.GetProperty("hang").GetString()));
    }
}
