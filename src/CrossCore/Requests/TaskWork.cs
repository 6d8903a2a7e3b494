
namespace CrossCore;

/// <summary>
/// Task-context work (C5): travels through the inbox like every request, then waits in the core's task queue and
/// runs after handler-context work, where it may block and make waiting calls.
/// </summary>
internal abstract class TaskWork : InboxEntry
{
    private protected TaskWork() : base(EntryKind.TaskWork)
    {
    }

    internal override object? StateForDiagnostics => null;

    /// <summary>Moves the work to the core's task queue (handler context must not run it).</summary>
    internal override void Execute(Core core) => throw new InvalidOperationException("Task work is queued, not executed in a batch.");

    /// <summary>Runs the work on the core's thread in task context. Must not throw.</summary>
    internal abstract override void RunInTaskContext();

    /// <summary>Completes the work's task with <paramref name="exception"/> without running it (the core was offline).</summary>
    internal abstract void Fail(Exception exception);
}
