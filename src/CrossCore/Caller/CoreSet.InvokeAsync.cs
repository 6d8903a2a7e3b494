using System.Diagnostics;
using System.Threading.Tasks.Sources;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="function"/>(<paramref name="state"/>) on <paramref name="core"/> and returns a
    /// <see cref="ValueTask{TResult}"/> of its result, without blocking any thread while it waits. Seastar's
    /// <c>submit_to</c> for a handler-context function.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="function">Runs on the target core in handler context: keep it short and never wait in it.</param>
    /// <param name="state">The function's argument.</param>
    /// <param name="cancellationToken">Cancels the call while the core has not started it: the function then never
    /// runs and the task ends canceled. Once the core has started it, the call completes with its outcome.</param>
    /// <returns>
    /// A task that completes with the function's result or exception, or faulted with
    /// <see cref="CoreOfflineException"/> if the core is offline (nothing was queued). Await it once: a second await
    /// throws <see cref="InvalidOperationException"/> (use <see cref="ValueTask{TResult}.AsTask"/> to await it more than once).
    /// </returns>
    /// <remarks>
    /// <para>Called from outside the set to a core that is awake, the call first spins for up to
    /// <see cref="CoreSetOptions.AwaitSpinDuration"/> (default 10 µs): a quick answer then completes the task before it is
    /// returned, and the caller's <c>await</c> continues on its own thread without a thread-pool hop.</para>
    /// <para>Awaited from outside the set, the continuation runs on the thread pool, never on the target core. Awaited
    /// from task-context work on a core (<see cref="RunAsync{TState}(int, Func{TState, Task}, TState, CancellationToken)"/>),
    /// the continuation resumes on that same core. A call to the caller's own core runs inline and returns a completed task.</para>
    /// <para>The request is pooled: in steady state the call allocates nothing (a cancellable token costs one
    /// registration per call).</para>
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask<TResult> InvokeAsync<TState, TResult>(int core, Func<TState, TResult> function, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        return InvokeAsyncOn(GetCore(core), CallFunction<TState, TResult>.Of(function), state, cancellationToken);
    }

    /// <summary>Runs <paramref name="function"/> on <paramref name="core"/> and returns a task of its result; see <see cref="InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="function">Runs on the target core in handler context.</param>
    /// <param name="cancellationToken">Cancels the call while the core has not started it.</param>
    /// <returns>A task of the function's result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask<TResult> InvokeAsync<TResult>(int core, Func<TResult> function, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        return InvokeAsyncOn(GetCore(core), CallFunction<Func<TResult>, TResult>.Of(static f => f()), function, cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/>(<paramref name="state"/>) on <paramref name="core"/> and returns a task that completes after it ran; see <see cref="InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="action">Runs on the target core in handler context.</param>
    /// <param name="state">The action's argument.</param>
    /// <param name="cancellationToken">Cancels the call while the core has not started it.</param>
    /// <returns>A task that completes when the action has run there.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask InvokeAsync<TState>(int core, Action<TState> action, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return InvokeAsyncVoidOn(GetCore(core), CallFunction<TState, VoidResult>.Of(action), state, cancellationToken);
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="core"/> and returns a task that completes after it ran; see <see cref="InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="action">Runs on the target core in handler context.</param>
    /// <param name="cancellationToken">Cancels the call while the core has not started it.</param>
    /// <returns>A task that completes when the action has run there.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask InvokeAsync(int core, Action action, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(action);
        return InvokeAsyncVoidOn(GetCore(core), CallFunction<Action, VoidResult>.Of(static a => a()), action, cancellationToken);
    }

    private ValueTask<TResult> InvokeAsyncOn<TState, TResult>(Core target, CallFunction<TState, TResult> function, TState state, CancellationToken cancellationToken) =>
        TryInvokeAsyncOn(target, function, state, spin: true, cancellationToken, out var task)
            ? task
            : ValueTask.FromException<TResult>(new CoreOfflineException(target.Id));

    /// <summary>The awaitable call (C12). False, with nothing queued, if the core is offline. <paramref name="spin"/>:
    /// may spin for a quick answer (a single call; a many-call does not, so its requests go out together).</summary>
    private bool TryInvokeAsyncOn<TState, TResult>(Core target, CallFunction<TState, TResult> function, TState state, bool spin, CancellationToken cancellationToken, out ValueTask<TResult> task)
    {
        if (!TryStartAsync(target, function, state, spin, cancellationToken, out var call, out var version, out task))
        {
            return false;
        }

        if (call is not null)
        {
            task = new ValueTask<TResult>(call, version);
        }

        return true;
    }

    /// <summary>The void form: the same pooled source behind a non-generic <see cref="ValueTask"/> (no wrapper, so its
    /// continuation is scheduled exactly as the generic one's).</summary>
    private ValueTask InvokeAsyncVoidOn<TState>(Core target, CallFunction<TState, VoidResult> function, TState state, CancellationToken cancellationToken)
    {
        if (!TryStartAsync(target, function, state, spin: true, cancellationToken, out var call, out var version, out var done))
        {
            return ValueTask.FromException(new CoreOfflineException(target.Id));
        }

        if (call is not null)
        {
            return new ValueTask(call, version);
        }

        return done.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(done.AsTask());
    }

    /// <summary>
    /// Starts an awaitable call: false if the core is offline; else either a queued pooled <paramref name="call"/> with
    /// its <paramref name="version"/>, or (cancelled already, or inline on the caller's own core) a finished
    /// <paramref name="done"/>.
    /// </summary>
    private bool TryStartAsync<TState, TResult>(Core target, CallFunction<TState, TResult> function, TState state, bool spin, CancellationToken cancellationToken,
        out AwaitableCall<TState, TResult>? call, out short version, out ValueTask<TResult> done)
    {
        call = null;
        version = 0;
        done = default;
        if (cancellationToken.IsCancellationRequested)
        {
            done = ValueTask.FromCanceled<TResult>(cancellationToken);
            return true;
        }

        if (!target.IsOnline)
        {
            CoreSetTelemetry.Offline(target, EntryKind.Sync); // D3: counted on the cold path only
            done = default;
            return false;
        }

        var here = CoreContext.CurrentCore;
        if (here == target)
        {
            try
            {
                done = new ValueTask<TResult>(target.RunInlineCall(function, state)); // C6
            }
            catch (Exception ex)
            {
                done = ValueTask.FromException<TResult>(ex);
            }

            return true;
        }

        // From a core's task context the completion travels back to that core (its continuation resumes there).
        var home = here is not null && SynchronizationContext.Current == here.SynchronizationContext ? here : null;
        call = AwaitablePool<TState, TResult>.Rent();
        call.Arm(function, state, target.Id, home);
        if (cancellationToken.CanBeCanceled)
        {
            call.RegisterCancellation(cancellationToken);
        }

        version = call.Version;
        var answerSoon = spin && here is null && AwaitSpinTicks > 0
            && target.Parker.State != Parker.Parked // a snapshot: only picks the spin below
            && (target.HardwareCpu < 0 || Thread.GetCurrentProcessorId() != target.HardwareCpu); // spinning on the target's CPU would only delay it
        if (!target.Enqueue(call))
        {
            call.RunDetached(this); // the set was disposed under us: run it here, nothing accepted is lost (C9)
        }
        else if (answerSoon)
        {
            SpinForAnswer(call, version);
        }

        done = default;
        return true;
    }

    /// <summary>
    /// From outside the set, to a core that was not parked and is not pinned to the CPU the caller runs on: spin up to
    /// <see cref="CoreSetOptions.AwaitSpinDuration"/> for the answer. If it arrives, the caller's <c>await</c> finds the task completed and continues on this thread,
    /// so the round trip pays no thread-pool dispatch and no pool-thread wake-up; if not, the task is returned pending
    /// as usual. The caller owns its reference to <paramref name="call"/> until it reads the outcome, so the entry
    /// cannot be recycled under the spin.
    /// </summary>
    private void SpinForAnswer<TState, TResult>(AwaitableCall<TState, TResult> call, short version)
    {
        var deadline = Stopwatch.GetTimestamp() + AwaitSpinTicks;
        while (call.GetStatus(version) == ValueTaskSourceStatus.Pending) // the source's own read; ordered for the outcome by the fence below
        {
            if (Stopwatch.GetTimestamp() >= deadline)
            {
                return;
            }

            Thread.SpinWait(4);
        }

        // C12 (O5's reuse rule on the caller's side): full fence; the caller's await reads the outcome (GetResult) after
        // the read above that saw it complete, also where loads may pass loads. Pairs with the completing CAS inside the
        // source's SetResult/SetException (AwaitableCall.Complete, the core's last touch).
        Interlocked.MemoryBarrier();
    }
}
