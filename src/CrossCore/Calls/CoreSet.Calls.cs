using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using CrossCore.Calls;
using CrossCore.Cores;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="function"/>(<paramref name="state"/>) on <paramref name="core"/> (C1; the kernel's
    /// <c>smp_call_function_single</c>).
    /// </summary>
    /// <param name="core">The target core.</param>
    /// <param name="function">Runs in handler context on the target: short, must not wait. Use a static lambda and
    /// pass what it needs in <paramref name="state"/>, and the call allocates nothing.</param>
    /// <param name="state">The function's argument.</param>
    /// <param name="wait">True: return after the function has returned there (its writes are visible to the caller,
    /// O4), re-throwing its exception. False: return once queued; waits only until this thread's previous no-wait call
    /// to the same core has been dequeued (the kernel's per-sender descriptor).</param>
    /// <returns><see cref="CallResult.Ok"/>, or <see cref="CallResult.Offline"/> (nothing queued).</returns>
    /// <remarks>A call to the caller's own core runs inline, at once (C6). Task context only: from handler context
    /// use <see cref="CallAsync"/>.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context (it could deadlock).</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public CallResult CallSingle<TState>(int core, Action<TState> function, TState state, bool wait = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        var target = GetCore(core);
        CoreContext.ThrowIfHandler(nameof(CallSingle));
        if (!target.IsOnline)
        {
            Telemetry.Offline(target, wait ? EntryKind.Sync : EntryKind.Async); // D3: counted on the cold path only
            return CallResult.Offline;
        }

        if (target.IsCurrentThread)
        {
            target.RunInlineCall(function, state); // C6
            return CallResult.Ok;
        }

        if (wait)
        {
            var call = CallPool<TState>.Sync(core);
            var started = Telemetry.Metrics.SyncLatencyOn ? System.Diagnostics.Stopwatch.GetTimestamp() : 0; // D3: the clock is read only while someone listens
            QueueSync(target, call, function, state);
            var error = WaitSync(target, call);
            if (started != 0)
            {
                Telemetry.SyncCallLatency(started);
            }

            error?.Throw();
        }
        else
        {
            QueueNoWait(target, CallPool<TState>.NoWait(core), function, state);
        }

        return CallResult.Ok;
    }

    /// <summary>Runs <paramref name="function"/> on <paramref name="core"/>; see <see cref="CallSingle{TState}(int, Action{TState}, TState, bool)"/>.</summary>
    /// <remarks>Convenience for closures; the state-passing overload allocates nothing with a static lambda.</remarks>
    public CallResult CallSingle(int core, Action function, bool wait = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        return CallSingle(core, static f => f(), function, wait);
    }

    /// <summary>
    /// Queues a caller-owned, reusable descriptor on <paramref name="core"/> and never waits (C2; the kernel's
    /// <c>smp_call_function_single_async</c>, with the "safer" contract).
    /// </summary>
    /// <returns>
    /// <see cref="CallResult.Ok"/> (queued; on the caller's own core in task context it ran inline, C6);
    /// <see cref="CallResult.Busy"/> at once if the descriptor is still in flight: nothing changed, and the function
    /// that runs next sees every write the caller made before this attempt (O4); <see cref="CallResult.Offline"/>
    /// (nothing queued; the descriptor is untouched and reusable).
    /// </returns>
    /// <remarks>Allowed in any context, including handler context, where a call to the caller's own core is queued
    /// to run after the current function (so a descriptor that re-queues itself cannot recurse). Safe under concurrent
    /// use: of N threads calling it on one free descriptor at once, exactly one queues it.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public CallResult CallAsync(int core, CallDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var target = GetCore(core);
        if (!target.IsOnline) // before the claim: an Offline answer never needs an undo (§5.4)
        {
            Telemetry.Offline(target, EntryKind.Async); // D3: counted on the cold path only
            return CallResult.Offline;
        }

        if (!descriptor.TryClaim()) // O1
        {
            Telemetry.Busy(target);
            return CallResult.Busy;
        }

        return QueueClaimed(target, descriptor);
    }

    /// <summary>Delivers a claimed descriptor: inline on the caller's own core in task context (C6), else by its inbox.</summary>
    private CallResult QueueClaimed(Core target, CallDescriptor descriptor)
    {
        if (target.IsCurrentThread && !CoreContext.InHandler)
        {
            target.RunInlineEntry(descriptor); // C6
            return CallResult.Ok;
        }

        if (!target.Enqueue(descriptor))
        {
            RunOrphan(descriptor);
        }

        return CallResult.Ok;
    }

    /// <summary>
    /// As <see cref="CallAsync(int, CallDescriptor)"/>, and on success the descriptor's
    /// <see cref="CallDescriptor{TState}.State"/> becomes <paramref name="state"/> for this use. The state is written
    /// only after the claim succeeds and is read by the core before the release, so per-use data never races with a
    /// previous run (which may still be executing: it was handed its own state). A Busy or Offline answer leaves the
    /// descriptor, and its state, unchanged.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public CallResult CallAsync<TState>(int core, CallDescriptor<TState> descriptor, TState state)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        var target = GetCore(core);
        if (!target.IsOnline)
        {
            Telemetry.Offline(target, EntryKind.Async); // D3: counted on the cold path only
            return CallResult.Offline;
        }

        if (!descriptor.TryClaim()) // O1
        {
            Telemetry.Busy(target);
            return CallResult.Busy;
        }

        descriptor.State = state; // we hold the claim: only we write it; the push CAS publishes it (O2)
        return QueueClaimed(target, descriptor);
    }

    /// <summary>
    /// Runs the function on every online core of <paramref name="mask"/> except the caller's own (C3; the kernel's
    /// <c>smp_call_function_many</c>). Offline cores are skipped silently.
    /// </summary>
    /// <param name="mask">The targets; null for every core.</param>
    /// <param name="function">Runs in handler context on each target.</param>
    /// <param name="state">The function's argument (shared by every target).</param>
    /// <param name="wait">True: return after every target has run it; exceptions are re-thrown (one as is, several
    /// as an <see cref="AggregateException"/>). The caller waits for every core it queued to, woken or not (O3).</param>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The mask holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public void CallMany<TState>(CoreMask? mask, Action<TState> function, TState state, bool wait = true) =>
        CallManyCore(mask, null, function, state, wait, includeSelf: false);

    /// <summary>
    /// Runs the function on every online core of <paramref name="mask"/> for which <paramref name="condition"/> holds,
    /// including the caller's own core (C3; the kernel's <c>on_each_cpu_cond_mask</c>). The caller's own share runs
    /// inline after the remote ones are queued and before waiting for them.
    /// </summary>
    /// <param name="mask">The targets; null for every core.</param>
    /// <param name="condition">Evaluated on the calling thread for each online target (core id, state); null for all.</param>
    /// <param name="function">Runs in handler context on each target.</param>
    /// <param name="state">The function's argument.</param>
    /// <param name="wait">As in <see cref="CallMany{TState}"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The mask holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public void OnEachCore<TState>(CoreMask? mask, Func<int, TState, bool>? condition, Action<TState> function, TState state, bool wait = true) =>
        CallManyCore(mask, condition, function, state, wait, includeSelf: true);

    /// <summary>
    /// Runs the function on one online core of <paramref name="mask"/>: the caller's own if it is in the mask, else a
    /// nearby one (same hardware core or package when pinned), else the least loaded, lowest id (C4; the kernel's
    /// <c>smp_call_function_any</c>).
    /// </summary>
    /// <param name="mask">The candidates; null for every core.</param>
    /// <param name="function">Runs in handler context on the chosen core.</param>
    /// <param name="state">The function's argument.</param>
    /// <param name="wait">As in <see cref="CallSingle{TState}(int, Action{TState}, TState, bool)"/>.</param>
    /// <param name="core">The chosen core, or -1.</param>
    /// <returns><see cref="CallResult.Ok"/>, or <see cref="CallResult.Offline"/> if no core of the mask is online.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The mask holds an id that is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public CallResult CallAny<TState>(CoreMask? mask, Action<TState> function, TState state, bool wait, out int core)
    {
        ArgumentNullException.ThrowIfNull(function);
        ThrowIfDisposed();
        ValidateMask(mask);
        CoreContext.ThrowIfHandler(nameof(CallAny));
        mask ??= _all;

        // A chosen core can go offline between the choice and the call; choose again (each try excludes nothing new
        // only if the set keeps flapping, so bound the retries).
        for (var attempt = 0; attempt <= Count; attempt++)
        {
            core = ChooseNearby(mask);
            if (core < 0)
            {
                return CallResult.Offline;
            }

            if (CallSingle(core, function, state, wait) == CallResult.Ok)
            {
                return CallResult.Ok;
            }
        }

        core = -1;
        return CallResult.Offline;
    }

    /// <summary>As <see cref="CallAny{TState}(CoreMask?, Action{TState}, TState, bool, out int)"/>, without reporting the core.</summary>
    public CallResult CallAny<TState>(CoreMask? mask, Action<TState> function, TState state, bool wait = true) =>
        CallAny(mask, function, state, wait, out _);

    private void CallManyCore<TState>(CoreMask? mask, Func<int, TState, bool>? condition, Action<TState> function, TState state, bool wait, bool includeSelf)
    {
        ArgumentNullException.ThrowIfNull(function);
        ThrowIfDisposed();
        ValidateMask(mask);
        CoreContext.ThrowIfHandler(includeSelf ? nameof(OnEachCore) : nameof(CallMany));
        mask ??= _all;

        var here = CoreContext.CurrentCore;
        var self = here is not null && here.Set == this ? here : null;
        var runSelf = false;

        // Which cores we queued to: we must wait for every one of them, not only those we woke (O3, the 2025 lesson).
        Span<ulong> queued = Count <= 1024 ? stackalloc ulong[(Count + 63) >> 6] : new ulong[(Count + 63) >> 6];
        var anyQueued = false;

        foreach (var id in mask)
        {
            var target = _cores[id];
            if (target == self)
            {
                runSelf = includeSelf && self.IsOnline && (condition is null || condition(id, state));
                continue;
            }

            if (!target.IsOnline || (condition is not null && !condition(id, state)))
            {
                continue; // offline cores are skipped silently (C3)
            }

            if (wait)
            {
                QueueSync(target, CallPool<TState>.Sync(id), function, state);
                queued[id >> 6] |= 1UL << (id & 63);
                anyQueued = true;
            }
            else
            {
                QueueNoWait(target, CallPool<TState>.NoWait(id), function, state);
            }
        }

        List<ExceptionDispatchInfo>? errors = null;
        if (runSelf)
        {
            // The local share runs after the remote ones are queued and before waiting (kernel 2021, Nadav Amit).
            try
            {
                self!.RunInlineCall(function, state);
            }
            catch (Exception ex) when (wait)
            {
                (errors ??= []).Add(ExceptionDispatchInfo.Capture(ex));
            }
        }

        if (!anyQueued)
        {
            ThrowCollected(errors);
            return;
        }

        for (var word = 0; word < queued.Length; word++)
        {
            for (var bits = queued[word]; bits != 0; bits &= bits - 1)
            {
                var id = (word << 6) + System.Numerics.BitOperations.TrailingZeroCount(bits);
                if (WaitSync(_cores[id], CallPool<TState>.Sync(id)) is { } error)
                {
                    (errors ??= []).Add(error);
                }
            }
        }

        ThrowCollected(errors);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void QueueSync<TState>(Core target, SyncCall<TState> call, Action<TState> function, TState state)
    {
        call.Prepare(function, state, CoreContext.CurrentParker);
        if (!target.Enqueue(call))
        {
            call.RunInline(); // the set was disposed under us: run it here, so the waiter is released (C9)
        }
    }

    /// <summary>Waits for a queued sync call; returns the function's exception, if any, and resets the descriptor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ExceptionDispatchInfo? WaitSync<TState>(Core target, SyncCall<TState> call)
    {
        Waiter.WaitUntil(new SyncCall<TState>.Released(call), this, target.Id, call);
        var error = call.Error; // published by the release the wait acquired (O4)
        call.Clear();
        return error;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void QueueNoWait<TState>(Core target, NoWaitCall<TState> call, Action<TState> function, TState state)
    {
        if (!call.TryClaim()) // O1; only this thread claims its own descriptor, so it fails only while still queued
        {
            Waiter.WaitUntil(new NoWaitCall<TState>.Free(call), this, target.Id, call); // C1: until dequeued
            var claimed = call.TryClaim();
            System.Diagnostics.Debug.Assert(claimed, "Only the owning thread claims its no-wait descriptor.");
        }

        call.Prepare(function, state);
        if (!target.Enqueue(call))
        {
            RunOrphan(call);
        }
    }

    /// <summary>Runs a claimed async entry on the calling thread: its core's inbox closed under us (dispose).</summary>
    private void RunOrphan(InboxEntry entry)
    {
        try
        {
            entry.Execute(null!);
        }
        catch (Exception ex)
        {
            ReportFunctionException(null, ex, entry.DiagnosticFunction);
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
