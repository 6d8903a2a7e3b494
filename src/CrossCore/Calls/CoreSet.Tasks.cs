
namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="work"/> in task context on <paramref name="core"/> (C5; the kernel's
    /// <c>smp_call_on_cpu</c>, Seastar's <c>submit_to</c>). Task-context work may block and make waiting calls.
    /// </summary>
    /// <returns>A task that completes with the work's outcome; faulted with <see cref="CoreOfflineException"/> if
    /// the core is offline (nothing queued).</returns>
    /// <remarks>Always queued, even from the target core itself, so it never re-enters the caller. Allocates (the task).</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task RunAsync(int core, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new TaskWorkItem<bool>(static w => { ((Action)w!)(); return true; }, work);
        Submit(core, item);
        return item.Task;
    }

    /// <summary>Runs <paramref name="work"/>(<paramref name="state"/>) in task context on <paramref name="core"/>; see <see cref="RunAsync(int, Action)"/>.</summary>
    public Task RunAsync<TState>(int core, Action<TState> work, TState state)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new TaskWorkItem<bool>(_ => { work(state); return true; }, null);
        Submit(core, item);
        return item.Task;
    }

    /// <summary>Runs <paramref name="work"/> in task context on <paramref name="core"/> and returns its result; see <see cref="RunAsync(int, Action)"/>.</summary>
    public Task<TResult> RunAsync<TResult>(int core, Func<TResult> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new TaskWorkItem<TResult>(static w => ((Func<TResult>)w!)(), work);
        Submit(core, item);
        return item.Task;
    }

    /// <summary>
    /// Starts asynchronous <paramref name="work"/> in task context on <paramref name="core"/>; every <c>await</c>
    /// in it resumes on the same core (the core's <see cref="SynchronizationContext"/>). See <see cref="RunAsync(int, Action)"/>.
    /// </summary>
    public Task RunAsync(int core, Func<Task> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new AsyncTaskWorkItem<bool>(static async w => { await ((Func<Task>)w!)().ConfigureAwait(true); return true; }, work);
        Submit(core, item);
        return item.Task;
    }

    /// <summary>As <see cref="RunAsync(int, Func{Task})"/>, with a result.</summary>
    public Task<TResult> RunAsync<TResult>(int core, Func<Task<TResult>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var item = new AsyncTaskWorkItem<TResult>(static w => ((Func<Task<TResult>>)w!)(), work);
        Submit(core, item);
        return item.Task;
    }

    /// <summary>Queues task-context work on <paramref name="core"/>, or fails it (offline) without queueing.</summary>
    private void Submit(int core, TaskWork item)
    {
        var target = GetCore(core);
        if (!target.IsOnline)
        {
            Telemetry.Offline(target, EntryKind.TaskWork); // D3: cold path only
            item.Fail(new CoreOfflineException(core));
        }
        else if (!target.Enqueue(item))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.RunInTaskContext(), item, preferLocal: false); // disposed under us
        }
    }
}
