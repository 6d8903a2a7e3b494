using CrossCore.Coyote.Support;
using Xunit.Abstractions;

namespace CrossCore.Coyote;

/// <summary>Deferred work under Coyote (C7, O6): claim while running, re-queue, two cores, Sync.</summary>
public sealed class DeferredTests(ITestOutputHelper output)
{
    private const string TwoCores = "DeferredScenarios.QueueFromTwoThreadsToTwoCores";
    private const string Requeue = "DeferredScenarios.RequeueFromItsOwnFunction";
    private const string Sync = "DeferredScenarios.SyncWaitsForEveryRunStartedBeforeIt";
    private const string SyncWake = "DeferredScenarios.SyncIsWokenWhenTheRunItWaitsForEnds";

    [Fact]
    public void Queues_from_two_threads_to_two_cores_run_once_per_claim_and_a_coalesced_write_is_seen() =>
        Verdict.Passes(CoyoteRunner.Real, TwoCores, 150, output, memoryAccesses: true);

    [Fact]
    public void A_work_requeued_by_its_own_function_and_from_outside_runs_once_per_claim() =>
        Verdict.Passes(CoyoteRunner.Real, Requeue, 150, output, memoryAccesses: true);

    [Fact]
    public void Mutant_seed_2_early_read_of_Pending_is_found() =>
        Verdict.Finds("M4-early-pending-read", TwoCores, 300, output, memoryAccesses: true);

    [Fact]
    public void Mutant_2019_cas_loop_claim_is_invisible_under_sequential_consistency()
    {
        // The kernel's 2019 bug was a missing barrier on a failed cmpxchg: a fence bug, which Coyote cannot see (it
        // explores sequentially consistent interleavings). This pins that limit: the loop is logically correct.
        var result = CoyoteRunner.Explore("M5-cas-loop-claim", TwoCores, 150, output, memoryAccesses: true);
        Assert.False(result.FoundBug, $"the CAS-loop claim failed under SC: {result.Bug}");
    }

    [Fact]
    public void Sync_is_exact_when_a_second_run_executes_on_another_core() =>
        Verdict.Passes(CoyoteRunner.Real, Sync, 200, output);

    // The code before 15e69b5 (the kernel's irq_work_sync corner): run 2's busy-clear ends Sync while run 1 runs.
    [Fact]
    public void Mutant_sync_returning_while_a_second_run_executes_is_found() =>
        Verdict.Finds("M9-sync-second-run", Sync, 200, output);

    [Fact]
    public void A_Sync_caller_is_woken_when_the_run_it_waits_for_ends() =>
        Verdict.Passes(CoyoteRunner.Real, SyncWake, 300, output, memoryAccesses: true);

    // E5: the runner reads the waiter count before its busy-clear CAS, sees none, and leaves a syncer that registered
    // meanwhile parked for good. Found since parked waiters park without a timer under Coyote
    // (SchedulerSeams.ParkWhenNothingDueMs): with the 1 s re-look a timed wait could time out and rescue it.
    [Fact]
    public void Mutant_counting_sync_waiters_before_the_busy_clear_is_found() =>
        Verdict.Finds("E5-sync-count-early", SyncWake, 300, output, memoryAccesses: true);
}
