
namespace CrossCore;

/// <summary>
/// A snapshot of a set's counters (racy: each counter is read once, not all at one instant, and a run is counted
/// after its caller was let go). Wake-ups are the kernel's IPIs; a wake-up avoided is a request that found its core
/// polling (P5).
/// </summary>
public sealed class CoreSetStatistics
{
    /// <summary>Waiting calls a core ran, from its inbox or its sender lanes: <see cref="CoreSet.Invoke(int, Action)"/> and its overloads, and
    /// each core's share of <c>InvokeMany</c>, <c>InvokeOnEach</c> and <c>InvokeAny</c>.</summary>
    public long SyncCallsRun { get; init; }

    /// <summary>The part of <see cref="SyncCallsRun"/> that was served through sender lanes
    /// (<see cref="CoreSetOptions.SenderLaneCount"/>) instead of the inbox: these calls are in no <see cref="Batches"/>.</summary>
    public long LaneCallsRun { get; init; }

    /// <summary>Calls without a blocked caller that a core ran from its inbox: descriptors
    /// (<see cref="CoreSet.TryPost(int, CallDescriptor)"/>), posted calls (<c>Post</c>, <c>PostMany</c>,
    /// <c>PostOnEach</c>) and awaited calls (<c>InvokeAsync</c> and the awaitable many-calls); plus descriptors that ran
    /// inline on their own core.</summary>
    public long AsyncCallsRun { get; init; }

    /// <summary>Calls that ran inline, on the caller's own core, without an inbox: a call made on a core to that same
    /// core, and a many-call's share for the caller's core. They are counted here only.</summary>
    public long InlineCallsRun { get; init; }

    /// <summary>Deferred-work runs.</summary>
    public long DeferredRuns { get; init; }

    /// <summary>Task-context work items and continuations run.</summary>
    public long TaskItemsRun { get; init; }

    /// <summary>Inbox batches detached.</summary>
    public long Batches { get; init; }

    /// <summary>Entries in those batches.</summary>
    public long BatchEntries { get; init; }

    /// <summary>The largest batch.</summary>
    public long MaxBatch { get; init; }

    /// <summary>Wake-up signals sent to parked cores.</summary>
    public long WakeupsSent { get; init; }

    /// <summary>Wake-ups not needed because the core was polling.</summary>
    public long WakeupsAvoided { get; init; }

    /// <summary>Times a core parked.</summary>
    public long Parks { get; init; }

    /// <summary>Busy answers of <see cref="CoreSet.TryPost(int, CallDescriptor)"/>.</summary>
    public long BusyAnswers { get; init; }

    /// <summary>Coalesced deferred-work queues.</summary>
    public long CoalescedQueues { get; init; }

    /// <summary>Exceptions thrown by functions on the cores.</summary>
    public long FunctionExceptions { get; init; }

    /// <summary>Offline answers (requests refused because the target core was offline; masked calls skip offline
    /// cores silently and are not counted).</summary>
    public long OfflineAnswers { get; init; }

    /// <summary>Stuck-call reports made (first reports and repeats, not "got unstuck").</summary>
    public long StuckReports { get; init; }

    /// <summary>Entries per batch, on average.</summary>
    public double MeanBatch => Batches == 0 ? 0 : (double)BatchEntries / Batches;

    internal static CoreSetStatistics Capture(ReadOnlySpan<Core> cores)
    {
        long sync = 0, lane = 0, async = 0, inline = 0, deferred = 0, task = 0, batches = 0, entries = 0, max = 0, sent = 0, avoided = 0, parks = 0, busy = 0, coalesced = 0, exceptions = 0, offline = 0;
        foreach (var core in cores)
        {
            var c = core.Counters;
            // Counters written by the core's thread, read as snapshots (see StatCounter.Read).
            sync += StatCounter.Read(ref c.SyncRun);
            lane += StatCounter.Read(ref c.LaneRun);
            async += StatCounter.Read(ref c.AsyncRun);
            inline += StatCounter.Read(ref c.InlineRun);
            deferred += StatCounter.Read(ref c.DeferredRun);
            task += StatCounter.Read(ref c.TaskRun);
            batches += StatCounter.Read(ref c.Batches);
            entries += StatCounter.Read(ref c.BatchEntries);
            max = Math.Max(max, StatCounter.Read(ref c.MaxBatch));
            parks += StatCounter.Read(ref c.Parks);
            exceptions += StatCounter.Read(ref c.Exceptions);
            sent += c.WakeupsSent;
            avoided += c.WakeupsAvoided;
            busy += c.BusyAnswers;
            coalesced += c.Coalesced;
            offline += c.OfflineAnswers(EntryKind.Sync) + c.OfflineAnswers(EntryKind.Async) +
                c.OfflineAnswers(EntryKind.DeferredWork) + c.OfflineAnswers(EntryKind.TaskWork);
        }

        return new CoreSetStatistics
        {
            SyncCallsRun = sync,
            LaneCallsRun = lane,
            AsyncCallsRun = async,
            InlineCallsRun = inline,
            DeferredRuns = deferred,
            TaskItemsRun = task,
            Batches = batches,
            BatchEntries = entries,
            MaxBatch = max,
            WakeupsSent = sent,
            WakeupsAvoided = avoided,
            Parks = parks,
            BusyAnswers = busy,
            CoalescedQueues = coalesced,
            FunctionExceptions = exceptions,
            OfflineAnswers = offline,
            StuckReports = cores.IsEmpty ? 0 : cores[0].Set.Detector.Reports,
        };
    }
}
