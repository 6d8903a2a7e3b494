using System.Numerics;
using System.Runtime.ExceptionServices;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="action"/> on every online core of <paramref name="cores"/> except the caller's own, and
    /// waits until each has run it. The kernel's <c>smp_call_function_many(wait=1)</c>.
    /// </summary>
    /// <param name="cores">The targets; null for every core of the set. Offline cores are skipped.</param>
    /// <param name="action">Runs on each target in handler context, told that core's id.</param>
    /// <param name="state">The action's argument (shared by every target).</param>
    /// <param name="ranOn">If given, cleared and then filled with the cores that ran the action (reuse one mask and the
    /// call allocates nothing).</param>
    /// <returns>How many cores ran the action (fewer than asked when some were offline).</returns>
    /// <remarks>Exceptions are re-thrown after every target has finished: one as it is, several as an
    /// <see cref="AggregateException"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public int InvokeMany<TState>(CoreMask? cores, Action<int, TState> action, TState state, CoreMask? ranOn = null) =>
        ManyCore(cores, null, action, state, wait: true, includeSelf: false, ranOn, nameof(InvokeMany));

    /// <summary>
    /// Queues <paramref name="action"/> on every online core of <paramref name="cores"/> except the caller's own, without
    /// waiting for it to run. The kernel's <c>smp_call_function_many(wait=0)</c>; waits only as
    /// <see cref="Post{TState}(int, Action{TState}, TState)"/> does.
    /// </summary>
    /// <param name="cores">The targets; null for every core of the set. Offline cores are skipped.</param>
    /// <param name="action">Runs on each target in handler context, told that core's id.</param>
    /// <param name="state">The action's argument.</param>
    /// <param name="ranOn">If given, cleared and then filled with the cores the action was queued to.</param>
    /// <returns>How many cores the action was queued to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public int PostMany<TState>(CoreMask? cores, Action<int, TState> action, TState state, CoreMask? ranOn = null) =>
        ManyCore(cores, null, action, state, wait: false, includeSelf: false, ranOn, nameof(PostMany));

    /// <summary>
    /// Runs <paramref name="action"/> on every online core of <paramref name="cores"/> for which
    /// <paramref name="condition"/> holds, the caller's own core included, and waits. The kernel's
    /// <c>on_each_cpu_cond_mask(wait=1)</c>.
    /// </summary>
    /// <param name="cores">The targets; null for every core of the set. Offline cores are skipped.</param>
    /// <param name="condition">Evaluated on the calling thread for each online target (core id, state), before anything
    /// is queued; null runs on all. If it throws, nothing is queued and the exception propagates.</param>
    /// <param name="action">Runs on each target in handler context, told that core's id. The caller's own share runs
    /// inline, after the others are queued and before waiting for them.</param>
    /// <param name="state">The argument of the condition and the action.</param>
    /// <param name="ranOn">If given, cleared and then filled with the cores that ran the action.</param>
    /// <returns>How many cores ran the action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public int InvokeOnEach<TState>(CoreMask? cores, Func<int, TState, bool>? condition, Action<int, TState> action, TState state, CoreMask? ranOn = null) =>
        ManyCore(cores, condition, action, state, wait: true, includeSelf: true, ranOn, nameof(InvokeOnEach));

    /// <summary>
    /// As <see cref="InvokeOnEach{TState}"/> without waiting for the remote runs (the caller's own share still runs
    /// inline). The kernel's <c>on_each_cpu_cond_mask(wait=0)</c>.
    /// </summary>
    /// <param name="cores">The targets; null for every core of the set.</param>
    /// <param name="condition">As in <see cref="InvokeOnEach{TState}"/>.</param>
    /// <param name="action">Runs on each target in handler context, told that core's id.</param>
    /// <param name="state">The argument of the condition and the action.</param>
    /// <param name="ranOn">If given, cleared and then filled with the cores the action was queued to or ran on.</param>
    /// <returns>How many cores the action was queued to or ran on.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public int PostOnEach<TState>(CoreMask? cores, Func<int, TState, bool>? condition, Action<int, TState> action, TState state, CoreMask? ranOn = null) =>
        ManyCore(cores, condition, action, state, wait: false, includeSelf: true, ranOn, nameof(PostOnEach));

    /// <summary>
    /// Runs <paramref name="action"/> on one online core of <paramref name="cores"/> and waits: the caller's own core if
    /// it is in the mask, else a nearby one (same hardware core or package when pinned), else the least busy, lowest
    /// id. The kernel's <c>smp_call_function_any</c>.
    /// </summary>
    /// <param name="cores">The candidates; null for every core of the set.</param>
    /// <param name="action">Runs on the chosen core in handler context, told its id.</param>
    /// <param name="state">The action's argument.</param>
    /// <returns>The id of the core that ran the action.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">No core of the mask is online; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public int InvokeAny<TState>(CoreMask? cores, Action<int, TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        AnyCore(cores, CallFunction<TState, VoidResult>.Of(action), state, out var core);
        return core;
    }

    /// <summary>
    /// Runs <paramref name="function"/> on one online core of <paramref name="cores"/>, waits, and returns its result;
    /// the core is chosen as in <see cref="InvokeAny{TState}(CoreMask?, Action{int, TState}, TState)"/>.
    /// </summary>
    /// <param name="cores">The candidates; null for every core of the set.</param>
    /// <param name="function">Runs on the chosen core in handler context, told its id.</param>
    /// <param name="state">The function's argument.</param>
    /// <param name="core">The id of the core that ran the function.</param>
    /// <returns>What the function returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="cores"/> holds an id that is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">No core of the mask is online; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public TResult InvokeAny<TState, TResult>(CoreMask? cores, Func<int, TState, TResult> function, TState state, out int core)
    {
        ArgumentNullException.ThrowIfNull(function);
        return AnyCore(cores, CallFunction<TState, TResult>.Of(function), state, out core);
    }

    private TResult AnyCore<TState, TResult>(CoreMask? cores, CallFunction<TState, TResult> function, TState state, out int core)
    {
        ThrowIfDisposed();
        ValidateMask(cores);
        CoreContext.ThrowIfHandler(nameof(InvokeAny));
        cores ??= _all;

        // A chosen core can go offline between the choice and the call: choose again, a bounded number of times.
        for (var attempt = 0; attempt <= Count; attempt++)
        {
            core = ChooseNearby(cores);
            if (core < 0)
            {
                break;
            }

            if (TryInvokeOn(_cores[core], function, state, out var result))
            {
                return result;
            }
        }

        throw CoreOfflineException.NoneOnline();
    }

    /// <summary>
    /// The many-calls (C3). Every target is chosen first, with the conditions evaluated, so a throwing condition leaves
    /// nothing queued (§6, C13); then each is queued; then the caller's own share runs inline; then (wait) the caller
    /// waits for every core it queued to, whether or not that push needed a wake-up (O3, the 2025 lesson).
    /// </summary>
    private int ManyCore<TState>(CoreMask? cores, Func<int, TState, bool>? condition, Action<int, TState> action, TState state, bool wait, bool includeSelf, CoreMask? ranOn, string operation)
    {
        ArgumentNullException.ThrowIfNull(action);
        ThrowIfDisposed();
        ValidateMask(cores);
        CoreContext.ThrowIfHandler(operation);
        cores ??= _all;

        var self = CoreContext.CurrentCore is { } here && here.Set == this ? here : null;
        Span<ulong> targets = Count <= 1024 ? stackalloc ulong[(Count + 63) >> 6] : new ulong[(Count + 63) >> 6];
        var runSelf = SelectTargets(cores, condition, state, self, includeSelf, targets);
        ranOn?.Clear();

        var function = CallFunction<TState, VoidResult>.Of(action);
        var count = 0;
        List<ExceptionDispatchInfo>? errors = null;
        Span<ulong> queued = Count <= 1024 ? stackalloc ulong[targets.Length] : new ulong[targets.Length];
        try
        {
            for (var word = 0; word < targets.Length; word++)
            {
                for (var bits = targets[word]; bits != 0; bits &= bits - 1)
                {
                    var id = (word << 6) + BitOperations.TrailingZeroCount(bits);
                    if (wait)
                    {
                        QueueSync(_cores[id], CallPool<TState, VoidResult>.Sync(id), function, state);
                    }
                    else
                    {
                        QueueNoWait(_cores[id], CallPool<TState, VoidResult>.NoWait(id, NoWaitRingSize), function, state);
                    }

                    queued[word] |= 1UL << (id & 63);
                    ranOn?.Add(id);
                    count++;
                }
            }

            if (runSelf)
            {
                // The local share runs after the remote ones are queued and before waiting (kernel 2021, Nadav Amit).
                ranOn?.Add(self!.Id);
                count++;
                try
                {
                    self!.RunInlineCall(function, state);
                }
                catch (Exception ex) when (wait)
                {
                    (errors ??= []).Add(ExceptionDispatchInfo.Capture(ex));
                }
            }
        }
        finally
        {
            // Whatever happened above, every sync call that was queued is waited for: none is left in flight (C13).
            if (wait)
            {
                WaitForQueued<TState>(queued, ref errors);
            }
        }

        ThrowCollected(errors);
        return count;
    }

    /// <summary>Picks the online targets whose condition holds; returns whether the caller's own share runs.</summary>
    private bool SelectTargets<TState>(CoreMask cores, Func<int, TState, bool>? condition, TState state, Core? self, bool includeSelf, Span<ulong> targets)
    {
        var runSelf = false;
        foreach (var id in cores)
        {
            var target = _cores[id];
            if (target == self)
            {
                runSelf = includeSelf && self.IsOnline && (condition is null || condition(id, state));
                continue;
            }

            if (target.IsOnline && (condition is null || condition(id, state))) // offline cores are skipped (C3)
            {
                targets[id >> 6] |= 1UL << (id & 63);
            }
        }

        return runSelf;
    }

    private void WaitForQueued<TState>(ReadOnlySpan<ulong> queued, ref List<ExceptionDispatchInfo>? errors)
    {
        for (var word = 0; word < queued.Length; word++)
        {
            for (var bits = queued[word]; bits != 0; bits &= bits - 1)
            {
                var id = (word << 6) + BitOperations.TrailingZeroCount(bits);
                if (WaitSync(_cores[id], CallPool<TState, VoidResult>.Sync(id), out _) is { } error)
                {
                    (errors ??= []).Add(error);
                }
            }
        }
    }

    /// <summary>C4's choice: own core, then nearest by topology when pinned, then least loaded, then lowest id.</summary>
    private int ChooseNearby(CoreMask mask)
    {
        var here = CoreContext.CurrentCore;
        if (here is not null && here.Set == this && here.IsOnline && mask.Contains(here.Id))
        {
            return here.Id;
        }

        var hereCpu = here?.HardwareCpu ?? -1;
        if (hereCpu < 0 && Options.PinToHardwareCpus)
        {
            hereCpu = Affinity.CurrentCpu();
        }

        var best = -1;
        var bestScore = int.MaxValue;
        foreach (var id in mask)
        {
            var core = _cores[id];
            if (!core.IsOnline)
            {
                continue;
            }

            var distance = hereCpu >= 0 && core.HardwareCpu >= 0 ? CpuTopology.Distance(hereCpu, core.HardwareCpu) : 3;
            var load = core.Parker.State switch
            {
                Parker.Polling => 0,
                Parker.Parked => 1,
                _ => 2,
            } + (core.Inbox.HasWork ? 2 : 0);
            var score = (distance * 8) + load;
            if (score < bestScore)
            {
                bestScore = score;
                best = id;
            }
        }

        return best;
    }

    private void ValidateMask(CoreMask? mask)
    {
        if (mask is not null && mask.Highest >= Count)
        {
            throw new ArgumentOutOfRangeException(nameof(mask), mask.ToString(), $"Core ids of this set are 0..{Count - 1}.");
        }
    }

    private static void ThrowCollected(List<ExceptionDispatchInfo>? errors)
    {
        if (errors is null)
        {
            return;
        }

        if (errors.Count == 1)
        {
            errors[0].Throw();
        }

        throw new AggregateException(errors.Select(e => e.SourceException));
    }
}
