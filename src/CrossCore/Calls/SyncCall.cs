using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace CrossCore;

/// <summary>
/// The descriptor of a waiting call: the kernel's on-stack CSD of <c>smp_call_function_single(wait=1)</c> and the
/// per-pair <c>cfd->csd</c> of <c>smp_call_function_many(wait=1)</c>. Pooled per thread (<see cref="CallPool{TState}"/>).
/// </summary>
/// <remarks>
/// Owned by the waiting thread, which sets it locked before queueing it. The core runs the function (first pass of
/// its batch, §5.1), captures an exception if one is thrown, then releases it with a full fence and wakes the waiter
/// if it parked. The waiter acquire-reads the release, so the function's effects and the captured exception are
/// visible to it (O4).
/// </remarks>
internal sealed class SyncCall<TState> : InboxEntry
{
    private int _locked;

    public SyncCall() : base(EntryKind.Sync)
    {
    }

    public Action<TState>? Function;
    public TState State = default!;

    /// <summary>The waiter's parker, read by the core before the release (O5).</summary>
    public Parker? WaiterParker;

    /// <summary>The function's exception, published by the release.</summary>
    public ExceptionDispatchInfo? Error;

    internal override Delegate? DiagnosticFunction => Function;

    internal override object? StateForDiagnostics => State;

    /// <summary>True once the core has released the call (acquire; pairs with the Exchange in <see cref="Execute"/>).</summary>
    public bool IsReleased
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _locked) == 0;
    }

    /// <summary>Arms the call for one use. Only the owning thread calls it, while the call is released.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prepare(Action<TState> function, TState state, Parker waiter)
    {
        Function = function;
        State = state;
        WaiterParker = waiter;
        Error = null;
        _locked = 1; // plain: published to the core by the inbox push CAS (O2)
    }

    /// <summary>Forgets the state after use so the pool does not keep it alive. Owner only, after the release.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Clear()
    {
        Function = null;
        State = default!;
        Error = null;
    }

    internal override void Execute(Core core)
    {
        var waiter = WaiterParker; // O5: read before the release; the parker outlives the call
        try
        {
            Function!(State);
        }
        catch (Exception ex)
        {
            Error = ExceptionDispatchInfo.Capture(ex); // published by the release below
            core.Set.Telemetry.FunctionThrew(core.Id, ex, Function, waited: true);
        }

        // O4: release with a full fence. The release half pairs with the waiter's acquire read in IsReleased (the
        // function's effects and Error are visible to it); the fence half orders the release before the read of the
        // waiter's park state in Parker.Wake (O7; pairs with the Interlocked.Exchange in Parker.PrepareToPark).
        Interlocked.Exchange(ref _locked, 0);
        waiter?.Wake();
    }

    /// <summary>Runs the call inline on the caller's own core (C6) or a disposed set's caller thread.</summary>
    public void RunInline()
    {
        try
        {
            Function!(State);
        }
        catch (Exception ex)
        {
            Error = ExceptionDispatchInfo.Capture(ex);
        }

        Volatile.Write(ref _locked, 0); // release; the same thread reads it next (no pair needed)
    }

    /// <summary>Wait condition: the call was released.</summary>
    public readonly struct Released(SyncCall<TState> call) : IWaitCondition
    {
        public bool IsSatisfied => call.IsReleased;
    }
}
