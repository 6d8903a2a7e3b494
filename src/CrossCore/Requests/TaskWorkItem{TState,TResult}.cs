namespace CrossCore;

/// <summary>
/// Task-context work from <see cref="CoreSet.RunAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>
/// and its overloads: the user's delegate and state kept as they are (no wrapping closure), a task of the outcome,
/// and the same start-or-cancel decision as an awaitable call (C12).
/// </summary>
internal sealed class TaskWorkItem<TState, TResult> : TaskWork
{
    private const int Queued = 0;
    private const int Started = 1;
    private const int Cancelled = 2;

    private readonly CallFunction<TState, TResult> _function;
    private readonly Func<TState, Task>? _asyncAction;
    private readonly Func<TState, Task<TResult>>? _asyncFunction;
    private readonly TState _state;
    private readonly TaskCompletionSource<TResult> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenRegistration _registration;
    private int _phase;

    public TaskWorkItem(CallFunction<TState, TResult> function, TState state)
    {
        _function = function;
        _state = state;
    }

    public TaskWorkItem(Func<TState, Task> work, TState state)
    {
        _asyncAction = work;
        _state = state;
    }

    public TaskWorkItem(Func<TState, Task<TResult>> work, TState state)
    {
        _asyncFunction = work;
        _state = state;
    }

    public Task<TResult> Task => _completion.Task;

    internal override Delegate? DiagnosticFunction => _function.Delegate ?? (Delegate?)_asyncAction ?? _asyncFunction;

    /// <summary>Links the caller's token before the work is queued.</summary>
    public void RegisterCancellation(CancellationToken cancellationToken) =>
        _registration = cancellationToken.UnsafeRegister(static (s, token) => ((TaskWorkItem<TState, TResult>)s!).Cancel(token), this);

    private void Cancel(CancellationToken token)
    {
        // C12: one atomic decides start or cancel. Full fence; pairs with the CAS in RunInTaskContext.
        if (Interlocked.CompareExchange(ref _phase, Cancelled, Queued) == Queued)
        {
            _completion.TrySetCanceled(token);
        }
    }

    internal override void RunInTaskContext()
    {
        // C12: full fence; pairs with the CAS in Cancel. A cancelled item is skipped: its task is already canceled.
        if (Interlocked.CompareExchange(ref _phase, Started, Queued) != Queued)
        {
            return;
        }

        _registration.Dispose();
        try
        {
            if (_asyncAction is not null)
            {
                Follow(_asyncAction(_state));
            }
            else if (_asyncFunction is not null)
            {
                Follow(_asyncFunction(_state));
            }
            else
            {
                _completion.TrySetResult(_function.Run(CoreContext.CurrentCore?.Id ?? -1, _state));
            }
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

    /// <summary>Completes the item's task with the outcome of the work's own task (its awaits resume on this core).</summary>
    private void Follow(Task inner)
    {
        if (inner.IsCompleted)
        {
            CompleteFrom(inner);
            return;
        }

        inner.ContinueWith(
            static (t, s) => ((TaskWorkItem<TState, TResult>)s!).CompleteFrom(t),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private void CompleteFrom(Task inner)
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
            _completion.TrySetResult(inner is Task<TResult> typed ? typed.Result : default!);
        }
    }

    /// <summary>Fails the task without running (the target was offline).</summary>
    internal override void Fail(Exception exception)
    {
        _registration.Dispose();
        _completion.TrySetException(exception);
    }
}
