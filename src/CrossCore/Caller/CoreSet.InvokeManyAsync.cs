using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="action"/> on every online core of <paramref name="cores"/> except the caller's own and
    /// completes when each has run it; see <see cref="InvokeMany{TState}"/> and <see cref="InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>.
    /// </summary>
    /// <param name="cores">The targets; null for every core of the set. Offline cores are skipped.</param>
    /// <param name="action">Runs on each target in handler context, told that core's id.</param>
    /// <param name="state">The action's argument.</param>
    /// <param name="ranOn">If given, cleared and then filled with the cores that ran the action.</param>
    /// <param name="cancellationToken">Cancels the parts that no core has started yet; the task then ends canceled
    /// once every started part has finished.</param>
    /// <returns>How many cores ran the action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask<int> InvokeManyAsync<TState>(CoreMask? cores, Action<int, TState> action, TState state, CoreMask? ranOn = null, CancellationToken cancellationToken = default) =>
        ManyAsyncCore(cores, null, action, state, includeSelf: false, ranOn, cancellationToken);

    /// <summary>
    /// Runs <paramref name="action"/> on every online core of <paramref name="cores"/> for which
    /// <paramref name="condition"/> holds, the caller's own core included, and completes when each has run it; see
    /// <see cref="InvokeOnEach{TState}"/>.
    /// </summary>
    /// <param name="cores">The targets; null for every core of the set. Offline cores are skipped.</param>
    /// <param name="condition">Evaluated on the calling thread before anything is queued; null runs on all.</param>
    /// <param name="action">Runs on each target in handler context, told that core's id.</param>
    /// <param name="state">The argument of the condition and the action.</param>
    /// <param name="ranOn">If given, cleared and then filled with the cores that ran the action.</param>
    /// <param name="cancellationToken">Cancels the parts that no core has started yet.</param>
    /// <returns>How many cores ran the action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask<int> InvokeOnEachAsync<TState>(CoreMask? cores, Func<int, TState, bool>? condition, Action<int, TState> action, TState state, CoreMask? ranOn = null, CancellationToken cancellationToken = default) =>
        ManyAsyncCore(cores, condition, action, state, includeSelf: true, ranOn, cancellationToken);

    /// <summary>
    /// Runs <paramref name="function"/> on one online core of <paramref name="cores"/>, chosen as in
    /// <see cref="InvokeAny{TState}(CoreMask?, Action{int, TState}, TState)"/>, and returns a task of its result.
    /// </summary>
    /// <param name="cores">The candidates; null for every core of the set.</param>
    /// <param name="function">Runs on the chosen core in handler context, told its id.</param>
    /// <param name="state">The function's argument.</param>
    /// <param name="cancellationToken">Cancels the call while the core has not started it.</param>
    /// <returns>A task of the function's result; faulted with <see cref="CoreOfflineException"/> if no core of the
    /// mask is online.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public ValueTask<TResult> InvokeAnyAsync<TState, TResult>(CoreMask? cores, Func<int, TState, TResult> function, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(function);
        ThrowIfDisposed();
        ValidateMask(cores);
        cores ??= _all;
        var call = CallFunction<TState, TResult>.Of(function);
        for (var attempt = 0; attempt <= Count; attempt++)
        {
            var core = ChooseNearby(cores);
            if (core < 0)
            {
                break;
            }

            if (TryInvokeAsyncOn(_cores[core], call, state, spin: false, cancellationToken, out var task))
            {
                return task;
            }
        }

        return ValueTask.FromException<TResult>(CoreOfflineException.NoneOnline());
    }

    /// <summary>
    /// The awaitable many-calls: targets chosen (conditions evaluated) before anything is queued, each part queued as
    /// an awaitable call, the caller's own share inline, then every part awaited, so none is left in flight.
    /// </summary>
    private ValueTask<int> ManyAsyncCore<TState>(CoreMask? cores, Func<int, TState, bool>? condition, Action<int, TState> action, TState state, bool includeSelf, CoreMask? ranOn, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(action);
        ThrowIfDisposed();
        ValidateMask(cores);
        cores ??= _all;
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<int>(cancellationToken);
        }

        var self = CoreContext.CurrentCore is { } here && here.Set == this ? here : null;
        Span<ulong> targets = Count <= 1024 ? stackalloc ulong[(Count + 63) >> 6] : new ulong[(Count + 63) >> 6];
        var runSelf = SelectTargets(cores, condition, state, self, includeSelf, targets);
        ranOn?.Clear();

        var function = CallFunction<TState, VoidResult>.Of(action);
        var parts = ArrayPool<(int Core, ValueTask<VoidResult> Task)>.Shared.Rent(Count);
        var queued = 0;
        for (var word = 0; word < targets.Length; word++)
        {
            for (var bits = targets[word]; bits != 0; bits &= bits - 1)
            {
                var id = (word << 6) + BitOperations.TrailingZeroCount(bits);
                if (TryInvokeAsyncOn(_cores[id], function, state, spin: false, cancellationToken, out var task))
                {
                    parts[queued++] = (id, task);
                }
            }
        }

        Exception? selfError = null;
        var selfRan = false;
        if (runSelf)
        {
            try
            {
                self!.RunInlineCall(function, state);
            }
            catch (Exception ex)
            {
                selfError = ex;
            }

            selfRan = true;
        }

        return AwaitParts(parts, queued, selfRan ? self!.Id : -1, selfError, ranOn, cancellationToken);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<int> AwaitParts((int Core, ValueTask<VoidResult> Task)[] parts, int queued, int selfCore, Exception? selfError, CoreMask? ranOn, CancellationToken cancellationToken)
    {
        List<Exception>? errors = selfError is null ? null : [selfError];
        var ran = 0;
        var canceled = false;
        if (selfCore >= 0)
        {
            ranOn?.Add(selfCore);
            ran++;
        }

        try
        {
            for (var i = 0; i < queued; i++)
            {
                try
                {
                    await parts[i].Task.ConfigureAwait(false);
                    ranOn?.Add(parts[i].Core);
                    ran++;
                }
                catch (OperationCanceledException)
                {
                    canceled = true;
                }
                catch (CoreOfflineException)
                {
                    // went offline between the choice and the queue: skipped, as an offline core in the mask is
                }
                catch (Exception ex)
                {
                    ranOn?.Add(parts[i].Core);
                    ran++;
                    (errors ??= []).Add(ex);
                }
            }
        }
        finally
        {
            Array.Clear(parts, 0, queued);
            ArrayPool<(int Core, ValueTask<VoidResult> Task)>.Shared.Return(parts);
        }

        if (errors is not null)
        {
            if (errors.Count == 1)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(errors[0]);
            }

            throw new AggregateException(errors);
        }

        if (canceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        return ran;
    }
}
