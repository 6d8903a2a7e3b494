namespace CrossCore;

/// <summary>
/// The <see cref="TaskScheduler"/> of one core (<see cref="CoreSet.GetTaskScheduler"/>): each task travels through the
/// core's inbox as task-context work and runs on the core's thread.
/// </summary>
internal sealed class CoreTaskScheduler : TaskScheduler
{
    private readonly Core _core;

    public CoreTaskScheduler(Core core) => _core = core;

    /// <inheritdoc/>
    public override int MaximumConcurrencyLevel => 1;

    /// <inheritdoc/>
    protected override void QueueTask(Task task)
    {
        var work = new ScheduledTask(this, task);
        if (!_core.Enqueue(work))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.RunInTaskContext(), work, preferLocal: false); // disposed
        }
    }

    /// <inheritdoc/>
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) =>
        _core.IsCurrentThread && !CoreContext.InHandler && TryExecuteTask(task);

    /// <inheritdoc/>
    protected override IEnumerable<Task>? GetScheduledTasks() => null; // the inbox cannot be walked safely

    private void Execute(Task task) => TryExecuteTask(task);

    /// <summary>A scheduled task on its way to the core.</summary>
    private sealed class ScheduledTask(CoreTaskScheduler scheduler, Task task) : TaskWork
    {
        internal override Delegate? DiagnosticFunction => null;

        internal override void RunInTaskContext() => scheduler.Execute(task);

        /// <summary>A scheduled task is never refused: it runs on the core even when offline.</summary>
        internal override void Fail(Exception exception) => scheduler.Execute(task);
    }
}
