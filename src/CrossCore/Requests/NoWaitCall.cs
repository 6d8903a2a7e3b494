using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A per-sender descriptor of a posted call: the kernel's per-CPU <c>csd_data</c> of
/// <c>smp_call_function_single(wait=0)</c> and the per-pair <c>cfd->csd</c> of <c>smp_call_function_many(wait=0)</c>.
/// A sender has a ring of them per target core (and state type), <see cref="NoWaitRing{TState}"/>; a post that finds
/// its slot still queued waits until that slot has been dequeued (C1). Claimed by the <see cref="AsyncEntry"/> CAS
/// before it is armed (C13).
/// </summary>
internal sealed class NoWaitCall<TState> : AsyncEntry
{
    private CallFunction<TState, VoidResult> _function;
    private TState _state = default!;

    /// <param name="owner">The parker of the thread that owns this descriptor (it waits on it while it is queued).</param>
    public NoWaitCall(Parker owner) => Owner = owner;

    /// <summary>The owning thread's parker: woken after the release if the owner parked waiting to reuse it.</summary>
    public Parker Owner { get; }

    internal override Delegate? DiagnosticFunction => _function.Delegate;

    internal override object? StateForDiagnostics => _state;

    /// <summary>Arms the claimed descriptor. Only the claim holder calls it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prepare(CallFunction<TState, VoidResult> function, TState state)
    {
        _function = function; // plain: the claim (TryClaim) is held and the push CAS publishes these (O2)
        _state = state;
    }

    internal override void Execute(Core core) => Run(core?.Id ?? -1);

    /// <summary>Runs the function for <paramref name="core"/>, releasing the descriptor first (O4).</summary>
    public void Run(int core)
    {
        var function = _function; // O5: read everything before the release ...
        var state = _state;
        var owner = Owner;
        _state = default!;        // ... and drop the state so the pool does not keep it alive (the function, usually a
                                  // static lambda, stays: the stuck-call reporter asks the entry for it)
        ReleaseBeforeInvoke();    // release + full fence (O4) ...
        owner.Wake();             // ... which also orders the release before this read of the owner's park state (O7)
        function.Run(core, state);
    }

    /// <summary>Wait condition: the descriptor is free again.</summary>
    public readonly struct Free(NoWaitCall<TState> call) : IWaitCondition
    {
        public bool IsSatisfied => !call.IsInFlight;
    }
}
