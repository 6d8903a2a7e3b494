using System.Globalization;
using System.Text;

namespace CrossCore;

/// <summary>
/// One report of the stuck-call detector (D1): the kernel's "csd: Detected non-responsive CSD lock (#N) on CPU#a,
/// waiting T ns for CPU#b func(info)", with what the target is doing.
/// </summary>
public sealed class StuckCallReport
{
    /// <summary>The incident id (#N), shared by the repeats and the final "got unstuck".</summary>
    public required long Id { get; init; }

    /// <summary>1 for "Detected", 2.. for "Continued", 0 for the final "got unstuck".</summary>
    public required int Sequence { get; init; }

    /// <summary>True for the final report: the call completed.</summary>
    public bool IsUnstuck => Sequence == 0;

    /// <summary>The waiting core, or -1 if the waiter is a thread outside the set.</summary>
    public required int WaitingCore { get; init; }

    /// <summary>The waiting thread's managed id.</summary>
    public required int WaitingThreadId { get; init; }

    /// <summary>The waiting thread's name, if it has one.</summary>
    public string? WaitingThreadName { get; init; }

    /// <summary>The core the call runs on, or -1 if not a single core (e.g. a deferred-work Sync()).</summary>
    public required int TargetCore { get; init; }

    /// <summary>The function waited for.</summary>
    public required Delegate? Function { get; init; }

    /// <summary>The function's state (best effort: a reusable descriptor may already hold a newer one).</summary>
    public required object? State { get; init; }

    /// <summary>How long the waiter has waited.</summary>
    public required TimeSpan Waited { get; init; }

    /// <summary>What the target was doing.</summary>
    public required TargetActivity TargetActivity { get; init; }

    /// <summary>When <see cref="TargetActivity"/> is <see cref="TargetActivity.RunningOtherFunction"/>: that function.</summary>
    public Delegate? OtherFunction { get; init; }

    /// <summary>The waited-for function as "Type.Method", for logs ("(none)" if unknown).</summary>
    public string FunctionName => DiagnosticNames.Of(Function);

    /// <summary><see cref="OtherFunction"/> as "Type.Method", or null when the target runs no other function.</summary>
    public string? OtherFunctionName => OtherFunction is null ? null : DiagnosticNames.Of(OtherFunction);

    /// <summary>How long the target has been running its current function (this call's or another's).</summary>
    public TimeSpan TargetRunningFor { get; init; }

    /// <summary>Roughly how many requests wait in the target's inbox.</summary>
    public int InboxDepth { get; init; }

    /// <summary>True if the waited-for call was made through the waiting thread's sender lane on the target
    /// (<see cref="CoreSetOptions.SenderLaneCount"/>), not through its inbox: <see cref="InboxDepth"/> does not count it.</summary>
    public bool ThroughSenderLane { get; init; }

    /// <summary>True if the detector re-sent the wake-up because the target was parked.</summary>
    public bool WakeupResent { get; init; }

    /// <summary>True if this report is the last before fail-fast (<see cref="CoreSetOptions.FailFastAfter"/> reached).</summary>
    public bool FailingFast { get; init; }

    /// <summary>The waiting thread's stack, on the first report of an incident only (as the kernel dumps the
    /// waiter's stack once); null otherwise. Not part of <see cref="ToString"/>.</summary>
    public string? WaiterStackTrace { get; init; }

    /// <summary>The activity's name as events carry it (no reflection: trimming-safe).</summary>
    internal static string ActivityName(TargetActivity activity) => activity switch
    {
        TargetActivity.RunningThisCall => nameof(TargetActivity.RunningThisCall),
        TargetActivity.RunningOtherFunction => nameof(TargetActivity.RunningOtherFunction),
        TargetActivity.RunningTaskContext => nameof(TargetActivity.RunningTaskContext),
        TargetActivity.Polling => nameof(TargetActivity.Polling),
        TargetActivity.Parked => nameof(TargetActivity.Parked),
        TargetActivity.Offline => nameof(TargetActivity.Offline),
        _ => nameof(TargetActivity.Unknown),
    };

    /// <summary>A one-line rendering in the kernel's style.</summary>
    public override string ToString()
    {
        var ic = CultureInfo.InvariantCulture;
        var waiter = WaitingCore >= 0 ? $"core {WaitingCore}" : WaitingThreadName is { } name ? $"thread {WaitingThreadId} '{name}'" : $"thread {WaitingThreadId}";
        var target = TargetCore >= 0 ? $"core {TargetCore}" : "its runner";
        var function = DiagnosticNames.Of(Function);
        if (IsUnstuck)
        {
            return string.Create(ic, $"crosscore: stuck call #{Id} got unstuck: {waiter} waited {Waited.TotalMilliseconds:F0} ms for {target} {function}");
        }

        var sb = new StringBuilder();
        sb.Append(ic, $"crosscore: {(Sequence == 1 ? "detected" : "continued")} stuck call #{Id} ({Sequence}): {waiter} waiting {Waited.TotalMilliseconds:F0} ms for {target} {function}({State ?? "null"}); target ");
        sb.Append(TargetActivity switch
        {
            TargetActivity.RunningThisCall => string.Create(ic, $"is running this call for {TargetRunningFor.TotalMilliseconds:F0} ms"),
            TargetActivity.RunningOtherFunction => string.Create(ic, $"is running another function {DiagnosticNames.Of(OtherFunction)} for {TargetRunningFor.TotalMilliseconds:F0} ms"),
            TargetActivity.RunningTaskContext => "is running task-context work",
            TargetActivity.Polling => "is polling",
            TargetActivity.Parked => "is parked",
            TargetActivity.Offline => "is offline",
            _ => "is unknown (no single target core)",
        });
        sb.Append(ic, $"{(ThroughSenderLane ? ", called through a sender lane" : "")}, inbox depth ~{InboxDepth}");
        if (WakeupResent)
        {
            sb.Append(ic, $"; re-sent the wake-up to {target}");
        }

        if (FailingFast)
        {
            sb.Append("; FailFastAfter reached, failing fast");
        }

        return sb.ToString();
    }
}
