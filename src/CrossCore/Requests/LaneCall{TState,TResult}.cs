using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// A thread's waiting-call descriptor for one core with a lane there (<see cref="LaneCall"/>): what
/// <see cref="CoreSet.Invoke{TState}(int, Action{TState}, TState)"/> uses while it holds a lane, instead of pushing a
/// <see cref="SyncCall{TState, TResult}"/> onto the inbox. Pooled per thread and core (<see cref="CallPool{TState, TResult}"/>).
/// </summary>
/// <remarks>
/// The owner arms the function and state, then publishes the request with one CAS of the request word; the core that
/// owns the lane sees it in its poll, runs the function in handler context, writes the result into the reply and
/// releases it with a full fence, then wakes the owner if it parked. Bound for life to the core it was made for, so a
/// stale reference in that core's scan can only ever serve a request meant for that core.
/// </remarks>
internal sealed class LaneCall<TState, TResult> : LaneCall
{
    private readonly LaneReply<TResult> _reply;
    private CallFunction<TState, TResult> _function;
    private TState _state = default!;

    /// <summary>The owner's parker, read by the core before the release (O5); fixed for the descriptor's life.</summary>
    private readonly Parker _waiter;

    // ---- owner only: the lane bookkeeping (see TryJoin in CoreSet.Invoke.cs) ----
    /// <summary>Owner only: calls to make through the inbox before the next attempt to take a lane.</summary>
    internal int JoinCountdown;

    /// <summary>Owner only: a lane seen idle at <see cref="CandidateSince"/>, with <see cref="CandidateWord"/>.</summary>
    internal LaneCall? Candidate;

    /// <summary>Owner only: the candidate's request word when it was first seen.</summary>
    internal long CandidateWord;

    /// <summary>Owner only: when the candidate was first seen (<see cref="Environment.TickCount64"/>).</summary>
    internal long CandidateSince;

#pragma warning disable IDE0051, CS0169 // never read: keeps the reply (allocated next) off the request's lines
    private CacheLinePadding _padding;
#pragma warning restore IDE0051, CS0169

    /// <summary>Creates the descriptor of the calling thread for <paramref name="core"/>.</summary>
    public LaneCall(Core core, Parker waiter)
        : this(new LaneReply<TResult>(), core, waiter)
    {
    }

    private LaneCall(LaneReply<TResult> reply, Core core, Parker waiter)
        : base(reply)
    {
        _reply = reply;
        _waiter = waiter;
        Bound = core;
    }

    /// <summary>The only core whose lane this descriptor ever joins.</summary>
    internal Core Bound { get; }

    internal override Delegate? DiagnosticFunction => _function.Delegate;

    internal override object? StateForDiagnostics => _state;

    /// <summary>
    /// Arms and publishes one request through the lane (owner only). Returns its sequence number, or 0 if the lane was
    /// lost (a thief retired the word): the descriptor has then left the lane and the caller uses the inbox.
    /// </summary>
    /// <exception cref="InvalidOperationException">The previous request is still pending (C13).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long TryPublish(CallFunction<TState, TResult> function, TState state)
    {
        var last = _request; // plain: only this thread raises it; a retire by another thread fails the CAS below
        if (last < 0 || Volatile.Read(ref _reply.Done) != last) // acquire; pairs with the release in Execute
        {
            return last < 0 ? LeaveRetired(last) : ThrowStillPending();
        }

        // Written only when they change: the core read them in its last serve, so even a store of the same value would
        // take their line back from it, a third line transfer per round trip beside the request and the reply lines (the
        // CLR lays this class's fields out after the base's request word, often on the next line).
        if (!_function.IsSameAs(function))
        {
            _function = function;
        }

        if (!IsSameState(_state, state))
        {
            _state = state;
        }

        // Full fence. Publishes the function and state (pairs with the core's acquire read in IsRequested), and orders
        // the request before the read of the core's idle state in Parker.Wake (O7; pairs with the Interlocked.Exchange in
        // Parker.PrepareToPark) and before the read of CoreLanes.IsClosed (C9; pairs with the Exchange in Close).
        var seen = Interlocked.CompareExchange(ref _request, last + 1, last);
        if (seen != last)
        {
            _function = default;
            _state = default!;
            return LeaveRetired(seen);
        }

        return last + 1;
    }

    /// <summary>
    /// After a publish found the lanes closed (the set is being disposed): takes the request back unless the core took
    /// it first (<see cref="LaneCall.TryTakeContested"/>), and runs it here if so, as a closed inbox's caller does (C9).
    /// Either way the descriptor leaves the lane. Owner only.
    /// </summary>
    public void TakeBackIfClosed(long request, int core)
    {
        // Acquire; pairs with the release in Execute. The core's uncontested serves all end before its close (program
        // order, then the close's full fence), so a request it served that way reads as done here once the close is
        // seen; only a request not served before the close is contested.
        if (Volatile.Read(ref _reply.Done) == request)
        {
            return;
        }

        // Full fence; the arbiter against the core's CAS in TryTakeContested for the same pending value.
        if (Interlocked.CompareExchange(ref _request, ~request, request) == request)
        {
            try
            {
                _reply.Result = _function.Run(core, _state);
            }
            catch (Exception ex)
            {
                _reply.Error = ExceptionDispatchInfo.Capture(ex);
            }

            Volatile.Write(ref _reply.Done, request); // release; the same thread reads it next (the wait, then TryPublish)
        }

        // The word is retired now, by us or by the core: the next publish leaves the lane (LeaveRetired).
    }

    /// <summary>True once request <paramref name="request"/> has completed (acquire; pairs with the release in Execute).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool IsDone(long request) => Volatile.Read(ref _reply.Done) == request;

    /// <summary>Takes the result and the exception after the wait (owner only). Writes the core's line only when there is
    /// something to forget: an exception, or a result that holds references. The state stays armed (so the next call
    /// with the same state leaves the line alone, see <see cref="TryPublish"/>): a lane keeps its last state reachable
    /// until the thread's next call through it or until it leaves the lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TResult TakeResult(out ExceptionDispatchInfo? error)
    {
        var result = _reply.Result; // published by the release the wait acquired (O4)
        error = _reply.Error;
        if (error is not null)
        {
            _reply.Error = null;
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<TResult>())
        {
            _reply.Result = default!; // do not keep the result alive in the pool
        }

        return result;
    }

    internal override void Execute(Core core)
    {
        var request = _request; // the value the core's poll saw (or its retired form after TryTakeContested); stable while pending
        if (request < 0)
        {
            request = ~request;
        }

        try
        {
            _reply.Result = _function.Run(core.Id, _state);
        }
        catch (Exception ex)
        {
            _reply.Error = ExceptionDispatchInfo.Capture(ex); // published by the release below
            core.Set.Telemetry.FunctionThrew(core.Id, ex, _function.Delegate, waited: true);
        }

        // O4: release with a full fence. The release half pairs with the owner's acquire read in IsDone (the function's
        // effects, Result and Error are visible to it); the fence half orders the release before the read of the
        // owner's park state in Parker.Wake (O7; pairs with the Interlocked.Exchange in Parker.PrepareToPark).
        Interlocked.Exchange(ref _reply.Done, request);
        _waiter.Wake(); // O5: a field of the descriptor, but fixed for its life and the parker outlives it
    }

    /// <summary>The word was retired: leave the lane (free its slot if the thief has not replaced us), then restore the
    /// word. Owner only. Returns 0: the caller uses the inbox.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private long LeaveRetired(long retired)
    {
        Bound.Lanes.Remove(this);
        Joined = false;
        _function = default;
        _state = default!; // the descriptor stays in the thread's pool: keep nothing alive there
        // Release; no slot of Bound's lanes holds this call any more (Remove), and a scan that still holds a stale
        // reference can serve only Bound's requests: the descriptor is bound to that core for life.
        Volatile.Write(ref _request, ~retired);
        return 0;
    }

    /// <summary>True if <paramref name="armed"/> is certainly <paramref name="state"/>: the same reference, or the same bits
    /// of a value without references; false otherwise (a struct holding references is always written).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSameState(TState armed, TState state)
    {
        if (!typeof(TState).IsValueType)
        {
            return ReferenceEquals(armed, state);
        }

        if (RuntimeHelpers.IsReferenceOrContainsReferences<TState>())
        {
            return false;
        }

        var size = Unsafe.SizeOf<TState>();
        return MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TState, byte>(ref armed), size)
            .SequenceEqual(MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<TState, byte>(ref state), size));
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static long ThrowStillPending() =>
        throw new InvalidOperationException(
            "CrossCore internal error: a pooled waiting-call lane descriptor was armed while its previous call was still " +
            "pending. Nothing was queued. Please report this with the stack trace.");

    /// <summary>Wait condition: request <see cref="Request"/> has completed.</summary>
    public readonly struct Released(LaneCall<TState, TResult> call, long request) : IWaitCondition
    {
        /// <summary>The sequence number waited for.</summary>
        public long Request => request;

        public bool IsSatisfied => call.IsDone(request);
    }
}
