namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="work"/>(<paramref name="state"/>) on <paramref name="core"/> in task context: unlike a
    /// call's function, it may block, wait for other calls and take its time. The kernel's <c>smp_call_on_cpu</c>.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The work. Use a static lambda and pass what it needs in <paramref name="state"/>: no closure
    /// is allocated (the returned task is).</param>
    /// <param name="state">The work's argument.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it: it then never runs and the
    /// task ends canceled. Once started, the work runs to its end (pass the token in the state to stop it early).</param>
    /// <returns>A task of the work's outcome; faulted with <see cref="CoreOfflineException"/> if the core is offline
    /// (nothing was queued).</returns>
    /// <remarks>Always queued, even from the target core itself, so it never re-enters the caller. Task-context work
    /// runs after the core's pending calls and deferred work.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task<TResult> RunAsync<TState, TResult>(int core, Func<TState, TResult> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<TState, TResult>(CallFunction<TState, TResult>.Of(work), state), cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/>(<paramref name="state"/>) on <paramref name="core"/> in task context; see <see cref="RunAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The work.</param>
    /// <param name="state">The work's argument.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task that completes when the work has run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task RunAsync<TState>(int core, Action<TState> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<TState, VoidResult>(CallFunction<TState, VoidResult>.Of(work), state), cancellationToken);
    }

    /// <summary>
    /// Starts asynchronous <paramref name="work"/>(<paramref name="state"/>) on <paramref name="core"/> in task context;
    /// every <c>await</c> in it resumes on the same core. See <see cref="RunAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The asynchronous work.</param>
    /// <param name="state">The work's argument.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task that completes with the work's task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task RunAsync<TState>(int core, Func<TState, Task> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<TState, VoidResult>(work, state), cancellationToken);
    }

    /// <summary>As <see cref="RunAsync{TState}(int, Func{TState, Task}, TState, CancellationToken)"/>, with a result.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The asynchronous work.</param>
    /// <param name="state">The work's argument.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task of the work's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task<TResult> RunAsync<TState, TResult>(int core, Func<TState, Task<TResult>> work, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<TState, TResult>(work, state), cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="core"/> in task context; see <see cref="RunAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task that completes when the work has run.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task RunAsync(int core, Action work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<Action, VoidResult>(CallFunction<Action, VoidResult>.Of(static w => w()), work), cancellationToken);
    }

    /// <summary>Runs <paramref name="work"/> on <paramref name="core"/> in task context and returns its result; see <see cref="RunAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The work.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task of the work's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task<TResult> RunAsync<TResult>(int core, Func<TResult> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<Func<TResult>, TResult>(CallFunction<Func<TResult>, TResult>.Of(static w => w()), work), cancellationToken);
    }

    /// <summary>Starts asynchronous <paramref name="work"/> on <paramref name="core"/>; every <c>await</c> in it resumes on the same core. See <see cref="RunAsync{TState}(int, Func{TState, Task}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The asynchronous work.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task that completes with the work's task.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task RunAsync(int core, Func<Task> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<Func<Task>, VoidResult>(static w => w(), work), cancellationToken);
    }

    /// <summary>As <see cref="RunAsync(int, Func{Task}, CancellationToken)"/>, with a result.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="work">The asynchronous work.</param>
    /// <param name="cancellationToken">Cancels the work while the core has not started it.</param>
    /// <returns>A task of the work's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="work"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public Task<TResult> RunAsync<TResult>(int core, Func<Task<TResult>> work, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(work);
        return Submit(core, new TaskWorkItem<Func<Task<TResult>>, TResult>(static w => w(), work), cancellationToken);
    }

    /// <summary>
    /// A <see cref="TaskScheduler"/> that runs tasks on <paramref name="core"/> in task context, one at a time, in the
    /// order they were queued: <c>Task.Factory.StartNew(work, token, options, set.GetTaskScheduler(2))</c>, or a
    /// <see cref="TaskFactory"/> over it. Tasks queued to an offline core still run there (they were accepted), and
    /// after the set is disposed they run on the thread pool.
    /// </summary>
    /// <param name="core">The core's id.</param>
    /// <returns>The core's scheduler (the same instance on every call).</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    public TaskScheduler GetTaskScheduler(int core) => GetCoreNoDisposeCheck(core).TaskScheduler;

    /// <summary>Queues task-context work on <paramref name="core"/>, or fails it (offline) without queueing.</summary>
    private Task<TResult> Submit<TState, TResult>(int core, TaskWorkItem<TState, TResult> item, CancellationToken cancellationToken)
    {
        var target = GetCore(core);
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<TResult>(cancellationToken);
        }

        if (!target.IsOnline)
        {
            CoreSetTelemetry.Offline(target, EntryKind.TaskWork); // D3: cold path only
            item.Fail(new CoreOfflineException(core));
            return item.Task;
        }

        if (cancellationToken.CanBeCanceled)
        {
            item.RegisterCancellation(cancellationToken);
        }

        if (!target.Enqueue(item))
        {
            ThreadPool.UnsafeQueueUserWorkItem(static w => w.RunInTaskContext(), item, preferLocal: false); // disposed under us
        }

        return item.Task;
    }
}
