using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// The per-sender descriptor of a no-wait call: the kernel's per-CPU <c>csd_data</c> of
/// <c>smp_call_function_single(wait=0)</c> and the per-pair <c>cfd->csd</c> of <c>smp_call_function_many(wait=0)</c>.
/// A sender has one per target core (and state type); a new no-wait call waits only until the previous one through
/// the same descriptor has been dequeued (C1).
/// </summary>
internal sealed class NoWaitCall<TState> : CallDescriptor
{
    /// <param name="owner">The parker of the thread that owns this descriptor (it waits on it while it is queued).</param>
    public NoWaitCall(Parker owner) => Owner = owner;

    /// <summary>The owning thread's parker: woken after the release if the owner parked waiting to reuse it.</summary>
    public Parker Owner { get; }

    public Action<TState>? Function;
    public TState State = default!;

    internal override Delegate? DiagnosticFunction => Function;

    internal override object? StateForDiagnostics => State;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prepare(Action<TState> function, TState state)
    {
        Function = function; // plain: the claim (TryClaim) is held and the push CAS publishes these (O2)
        State = state;
    }

    internal override void Execute(Core core)
    {
        var function = Function!; // O5: read everything before the release ...
        var state = State;
        var owner = Owner;
        State = default!;         // ... and drop the state so the pool does not keep it alive (the function, usually a
                                  // static lambda, stays: the stuck-call reporter asks the entry for it)
        ReleaseBeforeInvoke();    // release + full fence (O4) ...
        owner.Wake();             // ... which also orders the release before this read of the owner's park state (O7)
        function(state);
    }

    /// <summary>Wait condition: the descriptor is free again.</summary>
    public readonly struct Free(NoWaitCall<TState> call) : IWaitCondition
    {
        public bool IsSatisfied => !call.IsInFlight;
    }
}
