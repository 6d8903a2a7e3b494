namespace CrossCore;

/// <summary>A synchronous task-context work item whose outcome completes a <see cref="Task{TResult}"/>.</summary>
internal sealed class TaskWorkItem<TResult> : TaskWork
{
    private readonly Func<object?, TResult> _work;
    private readonly object? _state;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskWorkItem(Func<object?, TResult> work, object? state)
    {
        _work = work;
        _state = state;
    }

    public Task<TResult> Task => _completion.Task;

    internal override Delegate? DiagnosticFunction => _work;

    internal override void RunInTaskContext()
    {
        try
        {
            _completion.TrySetResult(_work(_state));
        }
        catch (OperationCanceledException oce)
        {
            _completion.TrySetCanceled(oce.CancellationToken);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
        }
    }

    /// <summary>Fails the task without running (the target was offline or the set disposed).</summary>
    internal override void Fail(Exception exception) => _completion.TrySetException(exception);
}
