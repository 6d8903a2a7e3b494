namespace CrossCore;

/// <summary>A <see cref="SynchronizationContext.Post"/> callback on its way to a core (an await continuation).</summary>
internal sealed class PostedCallback : TaskWork
{
    private readonly SendOrPostCallback _callback;
    private readonly object? _state;

    public PostedCallback(SendOrPostCallback callback, object? state)
    {
        _callback = callback;
        _state = state;
    }

    internal override Delegate? DiagnosticFunction => _callback;

    internal override void RunInTaskContext()
    {
        // A continuation's exceptions belong to its own task; one escaping here is a bug in the caller's code,
        // which the SynchronizationContext contract says crashes like an unhandled thread-pool exception would.
        _callback(_state);
    }

    /// <summary>A continuation is never refused (it belongs to accepted work): it runs on the thread pool instead.</summary>
    internal override void Fail(Exception exception) => RunOnThreadPool();

    /// <summary>Runs the callback on the thread pool (the set was disposed).</summary>
    public void RunOnThreadPool() => ThreadPool.UnsafeQueueUserWorkItem(static s => s.RunInTaskContext(), this, preferLocal: false);
}
