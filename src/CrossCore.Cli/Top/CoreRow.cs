namespace CrossCore.Cli.Top;

/// <summary>
/// The latest figures of one core, from the per-core instruments of the process's <c>CrossCore</c> Meter. Rates are
/// the counter's increase over the last collection interval divided by its length; null until one is known.
/// </summary>
internal sealed class CoreRow
{
    /// <summary>The state whose <c>crosscore.core.state</c> series reads 1 (running, polling, parked, offline).</summary>
    public string? State { get; set; }

    /// <summary>Requests run per second (<c>crosscore.core.calls</c>).</summary>
    public double? CallsPerSecond { get; set; }

    /// <summary>Waiting calls served through sender lanes per second (<c>crosscore.core.lane_calls</c>, a part of
    /// <see cref="CallsPerSecond"/> in no batch).</summary>
    public double? LaneCallsPerSecond { get; set; }

    /// <summary>Inbox batches detached per second (<c>crosscore.core.batches</c>).</summary>
    public double? BatchesPerSecond { get; set; }

    /// <summary>Requests in those batches per second (<c>crosscore.core.batch.entries</c>).</summary>
    public double? EntriesPerSecond { get; set; }

    /// <summary>Wake-ups sent to this core per second.</summary>
    public double? WakeupsSentPerSecond { get; set; }

    /// <summary>Wake-ups avoided (it was polling) per second.</summary>
    public double? WakeupsAvoidedPerSecond { get; set; }

    /// <summary>Waits for this core stuck right now (<c>crosscore.core.stuck_calls</c>).</summary>
    public long? StuckNow { get; set; }

    /// <summary>Entries per batch over the last interval, or null without batches.</summary>
    public double? MeanBatch => BatchesPerSecond is > 0 && EntriesPerSecond is { } entries ? entries / BatchesPerSecond : null;
}
