namespace CrossCore;

/// <summary>
/// An asynchronous task-context work item: starts the function on the core, whose
/// <see cref="SynchronizationContext"/> brings every continuation back to the same core.
/// </summary>
internal sealed class AsyncTaskWorkItem<TResult> : TaskWork
{
    private readonly Func<object?, Task<TResult>> _work;
    private readonly object? _state;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public AsyncTaskWorkItem(Func<object?, Task<TResult>> work, object? state)
    {
        _work = work;
        _state = state;
    }

    public Task<TResult> Task => _completion.Task;

    internal override Delegate? DiagnosticFunction => _work;

    internal override void RunInTaskContext()
    {
        Task<TResult> inner;
        try
        {
            inner = _work(_state);
        }
        catch (Exception ex)
        {
            _completion.TrySetException(ex);
            return;
        }

        if (inner.IsCompleted)
        {
            Complete(inner);
        }
        else
        {
            inner.ContinueWith(
                static (t, s) => ((AsyncTaskWorkItem<TResult>)s!).Complete(t),
                this,
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }
    }

    private void Complete(Task<TResult> inner)
    {
        if (inner.IsCanceled)
        {
            _completion.TrySetCanceled();
        }
        else if (inner.IsFaulted)
        {
            _completion.TrySetException(inner.Exception!.InnerExceptions);
        }
        else
        {
            _completion.TrySetResult(inner.Result);
        }
    }

    /// <summary>Fails the task without running (the target was offline or the set disposed).</summary>
    internal override void Fail(Exception exception) => _completion.TrySetException(exception);
}
