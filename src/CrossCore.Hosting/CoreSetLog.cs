using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting;

/// <summary>The log messages of a hosted set (source-generated: structured fields, no formatting unless enabled).</summary>
internal static partial class CoreSetLog
{
    [LoggerMessage(EventId = 1, EventName = "CoreSetStarted", Level = LogLevel.Information,
        Message = "CrossCore set {Set} started with {CoreCount} cores")]
    public static partial void Started(ILogger logger, string set, int coreCount);

    [LoggerMessage(EventId = 2, EventName = "CoreSetStopped", Level = LogLevel.Information,
        Message = "CrossCore set {Set} stopped: every accepted request ran")]
    public static partial void Stopped(ILogger logger, string set);

    [LoggerMessage(EventId = 3, EventName = "CoreSetDrainTimedOut", Level = LogLevel.Warning,
        Message = "CrossCore set {Set} had not drained when the host's shutdown timeout fired; its cores finish the accepted work in the background")]
    public static partial void DrainTimedOut(ILogger logger, string set);

    [LoggerMessage(EventId = 10, EventName = "StuckCall", Level = LogLevel.Warning,
        Message = "CrossCore set {Set}: stuck call #{Id} ({Sequence}): {Waiter} waiting {WaitedMs} ms for core {TargetCore} {Function}; target {TargetActivity} {OtherFunction} for {TargetRunningForMs} ms, inbox depth ~{InboxDepth}, wake-up re-sent {WakeupResent}")]
    public static partial void StuckCall(ILogger logger, string set, long id, int sequence, string waiter, double waitedMs, int targetCore,
        string function, TargetActivity targetActivity, string? otherFunction, double targetRunningForMs, int inboxDepth, bool wakeupResent);

    [LoggerMessage(EventId = 11, EventName = "Unstuck", Level = LogLevel.Information,
        Message = "CrossCore set {Set}: stuck call #{Id} got unstuck: {Waiter} waited {WaitedMs} ms for core {TargetCore} {Function}")]
    public static partial void Unstuck(ILogger logger, string set, long id, string waiter, double waitedMs, int targetCore, string function);

    [LoggerMessage(EventId = 12, EventName = "FunctionException", Level = LogLevel.Error,
        Message = "CrossCore set {Set}: function {Function} threw on core {Core}")]
    public static partial void FunctionException(ILogger logger, Exception exception, string set, int core, string function);

    /// <summary>Logs a stuck-call report or its "got unstuck".</summary>
    public static void Report(ILogger logger, string set, StuckCallReport report)
    {
        var waiter = report.WaitingCore >= 0 ? $"core {report.WaitingCore}" : $"thread {report.WaitingThreadId}";
        if (report.IsUnstuck)
        {
            Unstuck(logger, set, report.Id, waiter, report.Waited.TotalMilliseconds, report.TargetCore, report.FunctionName);
        }
        else
        {
            StuckCall(logger, set, report.Id, report.Sequence, waiter, report.Waited.TotalMilliseconds, report.TargetCore, report.FunctionName,
                report.TargetActivity, report.OtherFunctionName, report.TargetRunningFor.TotalMilliseconds, report.InboxDepth, report.WakeupResent);
        }
    }
}
