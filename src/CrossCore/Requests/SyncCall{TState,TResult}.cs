using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace CrossCore;

/// <summary>
/// The descriptor of a waiting call: the kernel's on-stack CSD of <c>smp_call_function_single(wait=1)</c> and the
/// per-pair <c>cfd->csd</c> of <c>smp_call_function_many(wait=1)</c>. Pooled per thread (<see cref="CallPool{TState, TResult}"/>).
/// </summary>
/// <remarks>
/// Owned by the waiting thread, which claims it with one CAS before arming it (C13, the kernel's <c>csd_lock</c>):
/// arming one that is still queued is an <see cref="InvalidOperationException"/>, never a node pushed onto an inbox
/// twice. The core runs the function (first pass of its batch, §5.1), keeps its result or exception, then releases
/// it with a full fence and wakes the waiter if it parked. The waiter acquire-reads the release, so the function's
/// effects, result and exception are visible to it (O4).
/// </remarks>
internal sealed class SyncCall<TState, TResult> : InboxEntry
{
    private int _locked;
    private CallFunction<TState, TResult> _function;

    public SyncCall() : base(EntryKind.Sync)
    {
    }

    public TState State = default!;

    /// <summary>The waiter's parker, read by the core before the release (O5).</summary>
    public Parker? WaiterParker;

    /// <summary>The function's result, published by the release.</summary>
    public TResult Result = default!;

    /// <summary>The function's exception, published by the release.</summary>
    public ExceptionDispatchInfo? Error;

    internal override Delegate? DiagnosticFunction => _function.Delegate;

    internal override object? StateForDiagnostics => State;

    /// <summary>True once the core has released the call (acquire; pairs with the Exchange in <see cref="Execute"/>).</summary>
    public bool IsReleased
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _locked) == 0;
    }

    /// <summary>Claims and arms the call for one use (C13). Only the owning thread calls it.</summary>
    /// <exception cref="InvalidOperationException">The call is still queued from an earlier use.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prepare(CallFunction<TState, TResult> function, TState state, Parker waiter)
    {
        // C13: the claim before arming. Full fence; pairs with the release Exchange in Execute: a call still queued
        // (its earlier waiter left without waiting for it) is refused here instead of being pushed a second time.
        if (Interlocked.CompareExchange(ref _locked, 1, 0) != 0)
        {
            ThrowStillQueued();
        }

        _function = function;
        State = state;
        WaiterParker = waiter;
        Error = null;
    }

    /// <summary>Forgets the state after use so the pool does not keep it alive. Owner only, after the release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TResult TakeResult()
    {
        var result = Result;
        _function = default;
        State = default!;
        Result = default!;
        Error = null;
        return result;
    }

    internal override void Execute(Core core)
    {
        var waiter = WaiterParker; // O5: read before the release; the parker outlives the call
        try
        {
            Result = _function.Run(core.Id, State);
        }
        catch (Exception ex)
        {
            Error = ExceptionDispatchInfo.Capture(ex); // published by the release below
            core.Set.Telemetry.FunctionThrew(core.Id, ex, _function.Delegate, waited: true);
        }

        // O4: release with a full fence. The release half pairs with the waiter's acquire read in IsReleased (the
        // function's effects, Result and Error are visible to it); the fence half orders the release before the read
        // of the waiter's park state in Parker.Wake (O7; pairs with the Interlocked.Exchange in Parker.PrepareToPark).
        Interlocked.Exchange(ref _locked, 0);
        waiter?.Wake();
    }

    /// <summary>Runs the call for <paramref name="core"/> on the calling thread: a disposed set's closed inbox refused it (C9).</summary>
    public void RunInline(int core)
    {
        try
        {
            Result = _function.Run(core, State);
        }
        catch (Exception ex)
        {
            Error = ExceptionDispatchInfo.Capture(ex);
        }

        _locked = 0; // plain: the same thread reads it next (IsReleased, then the claim in Prepare)
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowStillQueued() =>
        throw new InvalidOperationException(
            "CrossCore internal error: a pooled waiting-call descriptor was armed while still queued from an earlier " +
            "call. Nothing was queued. Please report this with the stack trace.");

    /// <summary>Wait condition: the call was released.</summary>
    public readonly struct Released(SyncCall<TState, TResult> call) : IWaitCondition
    {
        public bool IsSatisfied => call.IsReleased;
    }
}
