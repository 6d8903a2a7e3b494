using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Runs <paramref name="action"/>(<paramref name="state"/>) on <paramref name="core"/> and waits until it has
    /// returned there. Its writes are visible to the caller when this returns; its exception is re-thrown here with
    /// its original stack. The kernel's <c>smp_call_function_single(wait=1)</c>.
    /// </summary>
    /// <param name="core">The target core's id, 0..<see cref="Count"/>-1.</param>
    /// <param name="action">Runs on the target core in handler context: keep it short and never wait in it. Use a
    /// static lambda and pass what it needs in <paramref name="state"/>, and the call allocates nothing.</param>
    /// <param name="state">The action's argument.</param>
    /// <remarks>A call to the caller's own core runs inline, at once. While it waits, a core that calls keeps serving
    /// its own inbox, so two cores calling each other never deadlock. Waits spin for
    /// <see cref="CoreSetOptions.PollDuration"/>, then block.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">The core is offline; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from inside a function running on a core (handler context),
    /// where waiting could deadlock: use <see cref="InvokeAsync{TState}(int, Action{TState}, TState, CancellationToken)"/>,
    /// <see cref="TryPost(int, CallDescriptor)"/> or <see cref="DeferredWork"/> there.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public void Invoke<TState>(int core, Action<TState> action, TState state)
    {
        ArgumentNullException.ThrowIfNull(action);
        InvokeOn(GetCore(core), CallFunction<TState, VoidResult>.Of(action), state);
    }

    /// <summary>Runs <paramref name="action"/> on <paramref name="core"/> and waits; see <see cref="Invoke{TState}(int, Action{TState}, TState)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="action">Runs on the target core in handler context.</param>
    /// <remarks>For closures. The overload that takes a state allocates nothing with a static lambda.</remarks>
    /// <exception cref="ArgumentNullException"><paramref name="action"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">The core is offline; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public void Invoke(int core, Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        InvokeOn(GetCore(core), CallFunction<Action, VoidResult>.Of(static a => a()), action);
    }

    /// <summary>
    /// Runs <paramref name="function"/>(<paramref name="state"/>) on <paramref name="core"/>, waits, and returns its
    /// result; see <see cref="Invoke{TState}(int, Action{TState}, TState)"/>. Allocates nothing beyond what the
    /// function does.
    /// </summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="function">Runs on the target core in handler context.</param>
    /// <param name="state">The function's argument.</param>
    /// <returns>What the function returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">The core is offline; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public TResult Invoke<TState, TResult>(int core, Func<TState, TResult> function, TState state)
    {
        ArgumentNullException.ThrowIfNull(function);
        return InvokeOn(GetCore(core), CallFunction<TState, TResult>.Of(function), state);
    }

    /// <summary>Runs <paramref name="function"/> on <paramref name="core"/>, waits, and returns its result; see <see cref="Invoke{TState, TResult}(int, Func{TState, TResult}, TState)"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="function">Runs on the target core in handler context.</param>
    /// <returns>What the function returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="CoreOfflineException">The core is offline; nothing was queued.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public TResult Invoke<TResult>(int core, Func<TResult> function)
    {
        ArgumentNullException.ThrowIfNull(function);
        return InvokeOn(GetCore(core), CallFunction<Func<TResult>, TResult>.Of(static f => f()), function);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TResult InvokeOn<TState, TResult>(Core target, CallFunction<TState, TResult> function, TState state)
    {
        CoreContext.ThrowIfHandler(nameof(Invoke));
        if (!TryInvokeOn(target, function, state, out var result))
        {
            throw new CoreOfflineException(target.Id);
        }

        return result;
    }

    /// <summary>The waiting call (C1, C6, O4). False, with nothing queued, if the core is offline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryInvokeOn<TState, TResult>(Core target, CallFunction<TState, TResult> function, TState state, out TResult result)
    {
        if (!target.IsOnline)
        {
            CoreSetTelemetry.Offline(target, EntryKind.Sync); // D3: counted on the cold path only
            result = default!;
            return false;
        }

        if (target.IsCurrentThread)
        {
            result = target.RunInlineCall(function, state); // C6
            return true;
        }

        var started = Telemetry.Metrics.SyncLatencyOn ? Stopwatch.GetTimestamp() : 0; // D3: the clock is read only while someone listens
        ExceptionDispatchInfo? error;
        LaneCall<TState, TResult>? lane;
        long request;
        if (target.Lanes.Enabled && (lane = CallPool<TState, TResult>.Lane(target)) is not null
            && (lane.Joined || TryJoinLane(target, lane)) && (request = lane.TryPublish(function, state)) != 0)
        {
            error = WaitLane(target, lane, request, out result);
        }
        else
        {
            var call = CallPool<TState, TResult>.Sync(target.Id);
            QueueSync(target, call, function, state);
            error = WaitSync(target, call, out result);
        }

        if (started != 0)
        {
            Telemetry.SyncCallLatency(started);
        }

        error?.Throw();
        return true;
    }

    /// <summary>After a lane publish: the wake-up check, the closed check (C9), the wait; returns the function's exception.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ExceptionDispatchInfo? WaitLane<TState, TResult>(Core target, LaneCall<TState, TResult> lane, long request, out TResult result)
    {
        if (CrossCoreEventSource.CallsOn) // D2
        {
            Telemetry.CallQueued(target, lane);
        }

        target.Kick(); // O7: ordered after the request by the publishing CAS; every lane request is the first of its lane
        if (target.Lanes.IsClosed) // acquire; pairs with the Exchange in CoreLanes.Close (C9)
        {
            lane.TakeBackIfClosed(request, target.Id);
        }

        Waiter.WaitUntil(new LaneCall<TState, TResult>.Released(lane, request), this, target.Id, lane);
        result = lane.TakeResult(out var error);
        return error;
    }

    /// <summary>
    /// Tries to give the calling thread a lane on <paramref name="target"/>: a free slot, else (once its owner has not
    /// called for <see cref="CoreLanes.IdleMs"/>) a slot of an idle sender. Tried once every
    /// <see cref="LaneJoinInterval"/> calls that go through the inbox, so a thread without a lane pays a scan of four
    /// slots per that many calls.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryJoinLane<TState, TResult>(Core target, LaneCall<TState, TResult> lane)
    {
        if (lane.JoinCountdown > 0)
        {
            lane.JoinCountdown--;
            return false;
        }

        lane.JoinCountdown = LaneJoinInterval;
        var lanes = target.Lanes;
        if (lanes.TryJoin(lane))
        {
            lane.Joined = true;
            return true;
        }

        if (lanes.IsClosed)
        {
            return false;
        }

        // Every slot is taken: take the slot of a sender that has not called since our last look, at least IdleMs ago.
        var now = Environment.TickCount64;
        for (var i = 0; i < CoreLanes.Count; i++)
        {
            var victim = lanes.Slot(i);
            if (victim is null || victim != lane.Candidate)
            {
                continue;
            }

            var word = victim.RequestWord;
            if (word != lane.CandidateWord)
            {
                break; // it called since: watch it afresh below
            }

            if (now - lane.CandidateSince < CoreLanes.IdleMs)
            {
                return false;
            }

            lane.Candidate = null;
            if (victim.TryRetireIdle(word) && lanes.TryReplace(i, victim, lane))
            {
                lane.Joined = true;
                return true;
            }

            lane.Joined = lanes.TryJoin(lane); // it left first (or called): a slot may be free now
            return lane.Joined;
        }

        var watched = lanes.Slot((int)(now & (CoreLanes.Count - 1)));
        lane.Candidate = watched;
        lane.CandidateWord = watched?.RequestWord ?? 0;
        lane.CandidateSince = now;
        return false;
    }

    /// <summary>How many calls through the inbox a thread without a lane makes between two attempts to take one.</summary>
    private const int LaneJoinInterval = 64;

    /// <summary>Claims (C13), arms and queues a sync call.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void QueueSync<TState, TResult>(Core target, SyncCall<TState, TResult> call, CallFunction<TState, TResult> function, TState state)
    {
        call.Prepare(function, state, CoreContext.CurrentParker);
        if (!target.Enqueue(call))
        {
            call.RunInline(target.Id); // the set was disposed under us: run it here, so the waiter is released (C9)
        }
    }

    /// <summary>Waits for a queued sync call; returns the function's exception, if any, and frees the descriptor.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private ExceptionDispatchInfo? WaitSync<TState, TResult>(Core target, SyncCall<TState, TResult> call, out TResult result)
    {
        Waiter.WaitUntil(new SyncCall<TState, TResult>.Released(call), this, target.Id, call);
        var error = call.Error; // published by the release the wait acquired (O4)
        result = call.TakeResult();
        return error;
    }
}
