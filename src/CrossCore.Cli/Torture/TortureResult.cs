using System.Text.Json.Serialization;

namespace CrossCore.Cli.Torture;

/// <summary>
/// Every figure of a torture run; serialized as the <c>--json</c> file. Other tools read it: the names are a
/// contract (snake_case, explicit).
/// </summary>
internal sealed class TortureResult
{
    [JsonPropertyName("verdict")]
    public required string Verdict { get; init; }

    /// <summary>The final line: <c>SUCCESS</c>, <c>FAILURE: ...</c>, or <c>INTERRUPTED after N s: no violation ...</c>.</summary>
    [JsonPropertyName("summary")]
    public required string Summary { get; init; }

    /// <summary>True if the run was ended early by Ctrl-C or SIGTERM (its checks still ran on what it did).</summary>
    [JsonPropertyName("interrupted")]
    public required bool Interrupted { get; init; }

    [JsonPropertyName("seed")]
    public required ulong Seed { get; init; }

    [JsonPropertyName("cores")]
    public required int Cores { get; init; }

    [JsonPropertyName("hardware_threads")]
    public required int HardwareThreads { get; init; }

    [JsonPropertyName("invokers")]
    public required int Invokers { get; init; }

    [JsonPropertyName("duration_s")]
    public required double DurationSeconds { get; init; }

    [JsonPropertyName("iterations")]
    public required long Iterations { get; init; }

    [JsonPropertyName("hotplug")]
    public required bool Hotplug { get; init; }

    [JsonPropertyName("delay")]
    public required string Delay { get; init; }

    [JsonPropertyName("weights")]
    public required string Weights { get; init; }

    [JsonPropertyName("fault")]
    public required string Fault { get; init; }

    [JsonPropertyName("accepted")]
    public required long Accepted { get; init; }

    [JsonPropertyName("executed")]
    public required long Executed { get; init; }

    /// <summary>The number of violations (0 for SUCCESS).</summary>
    [JsonPropertyName("violations")]
    public required long Violations { get; init; }

    [JsonPropertyName("violation_kinds")]
    public required IReadOnlyList<ViolationResult> ViolationKinds { get; init; }

    [JsonPropertyName("offline_ops")]
    public required long OfflineOps { get; init; }

    [JsonPropertyName("online_ops")]
    public required long OnlineOps { get; init; }

    [JsonPropertyName("all_offline_episodes")]
    public required long AllOfflineEpisodes { get; init; }

    /// <summary>Whether the aligned racer ran (<c>--no-aligned-race</c> turns it off).</summary>
    [JsonPropertyName("aligned_race")]
    public required bool AlignedRace { get; init; }

    /// <summary>Rounds of the aligned racer (0 when it is off): O4 and O6 raced at the instant of the release.</summary>
    [JsonPropertyName("aligned_rounds")]
    public required long AlignedRounds { get; init; }

    /// <summary>Aligned rounds answered Busy or Coalesced, whose run in flight had to see the racer's write.</summary>
    [JsonPropertyName("aligned_obliged")]
    public required long AlignedObliged { get; init; }

    /// <summary>Park race rounds (<see cref="AlignedParkRacer"/>, on its private 2-core set).</summary>
    [JsonPropertyName("park_race_rounds")]
    public required long ParkRaceRounds { get; init; }

    /// <summary>Park race rounds whose probe sent no wake-up, so the core's re-check had to find it (O7).</summary>
    [JsonPropertyName("park_race_obliged")]
    public required long ParkRaceObliged { get; init; }

    [JsonPropertyName("wakeups_sent")]
    public required long WakeupsSent { get; init; }

    [JsonPropertyName("wakeups_avoided")]
    public required long WakeupsAvoided { get; init; }

    [JsonPropertyName("wakeups_per_request")]
    public required double WakeupsPerRequest { get; init; }

    [JsonPropertyName("batches")]
    public required long Batches { get; init; }

    [JsonPropertyName("mean_batch")]
    public required double MeanBatch { get; init; }

    [JsonPropertyName("max_batch")]
    public required long MaxBatch { get; init; }

    [JsonPropertyName("parks")]
    public required long Parks { get; init; }

    /// <summary>Waiting calls the cores ran (inbox and sender lanes).</summary>
    [JsonPropertyName("sync_runs")]
    public required long SyncRuns { get; init; }

    /// <summary>The part of <see cref="SyncRuns"/> served through sender lanes.</summary>
    [JsonPropertyName("lane_runs")]
    public required long LaneRuns { get; init; }

    /// <summary>Waiters that returned late after their release while awake (starved by the machine, not a lost wake-up).</summary>
    [JsonPropertyName("starved_waits")]
    public long StarvedWaits { get; init; }

    /// <summary>The latest such return, in ms after the release.</summary>
    [JsonPropertyName("starved_wait_max_ms")]
    public double StarvedWaitMaxMs { get; init; }

    [JsonPropertyName("stuck_reports")]
    public required long StuckReports { get; init; }

    [JsonPropertyName("stuck_incidents")]
    public required long StuckIncidents { get; init; }

    [JsonPropertyName("stuck_examples")]
    public required IReadOnlyList<string> StuckExamples { get; init; }

    [JsonPropertyName("hang")]
    public string? Hang { get; init; }

    [JsonPropertyName("primitives")]
    public required IReadOnlyList<PrimitiveResult> Primitives { get; init; }

    /// <summary>Awaited calls (InvokeAsync) that ran: exactly once, on their target.</summary>
    [JsonPropertyName("awaited_ran")]
    public long AwaitedRan { get; init; }

    /// <summary>Awaited calls whose task ended canceled before the core started them (their function never ran).</summary>
    [JsonPropertyName("awaited_cancelled_before_start")]
    public long AwaitedCancelledBeforeStart { get; init; }

    /// <summary>Of those, the ones whose token fired after the call had been queued (the race won by the token).</summary>
    [JsonPropertyName("awaited_cancelled_while_queued")]
    public long AwaitedCancelledWhileQueued { get; init; }

    /// <summary>Awaited calls whose token fired after queueing but the core had started them (they completed).</summary>
    [JsonPropertyName("awaited_cancel_too_late")]
    public long AwaitedCancelTooLate { get; init; }

    /// <summary>Awaited calls that failed with CoreOfflineException.</summary>
    [JsonPropertyName("awaited_offline")]
    public long AwaitedOffline { get; init; }

    [JsonIgnore]
    public bool Success => Verdict == "SUCCESS";
}

/// <summary>One row of the table.</summary>
internal sealed class PrimitiveResult
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("weight")]
    public required int Weight { get; init; }

    [JsonPropertyName("attempts")]
    public required long Attempts { get; init; }

    [JsonPropertyName("ok")]
    public required long Ok { get; init; }

    [JsonPropertyName("busy")]
    public required long Busy { get; init; }

    [JsonPropertyName("offline")]
    public required long Offline { get; init; }

    [JsonPropertyName("coalesced")]
    public required long Coalesced { get; init; }

    /// <summary>Awaited calls that ended canceled (0 for the other primitives).</summary>
    [JsonPropertyName("cancelled")]
    public long Cancelled { get; init; }

    [JsonPropertyName("errors")]
    public required long Errors { get; init; }

    [JsonPropertyName("p50_ns")]
    public required long P50Nanoseconds { get; init; }

    [JsonPropertyName("p99_ns")]
    public required long P99Nanoseconds { get; init; }
}

/// <summary>One kind of violation: how many, and the first example.</summary>
internal sealed class ViolationResult
{
    [JsonPropertyName("kind")]
    public required string Kind { get; init; }

    [JsonPropertyName("count")]
    public required long Count { get; init; }

    [JsonPropertyName("example")]
    public string? Example { get; init; }
}
