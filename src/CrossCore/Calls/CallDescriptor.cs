using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A caller-owned, reusable request for <see cref="CoreSet.CallAsync"/>: the kernel's <c>call_single_data_t</c> as
/// used by <c>smp_call_function_single_async</c>, with the stronger contract of the "safer" change.
/// </summary>
/// <remarks>
/// <para>A descriptor is <em>in flight</em> from a successful claim in <see cref="CoreSet.CallAsync"/> until the
/// target core releases it, just before its function runs. While in flight, <see cref="CoreSet.CallAsync"/> answers
/// <see cref="CallResult.Busy"/> at once and changes nothing.</para>
/// <para>The claim is one compare-and-swap free→in-flight (O1), so any number of threads may race to queue one
/// descriptor: exactly one wins per release. The core releases it, then takes a full fence, then runs the function
/// (O4); so a <see cref="CallResult.Busy"/> answer guarantees that the function which runs next sees every write
/// the caller made before the attempt.</para>
/// <para>The function may re-queue its own descriptor, and the owner may re-queue it while the function runs
/// (§5.2): the function then runs again, possibly concurrently on another core.</para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
public abstract class CallDescriptor : InboxEntry
{
    private const int Free = 0;
    private const int InFlight = 1;

    private int _flags;

    private protected CallDescriptor() : base(EntryKind.Async)
    {
    }

    /// <summary>True from a successful claim until the core releases the descriptor (just before its function runs).</summary>
    public bool IsInFlight => Volatile.Read(ref _flags) != Free; // acquire; pairs with the release in ReleaseBeforeInvoke

    private string DebuggerDisplay => $"{GetType().Name} {(IsInFlight ? "in flight" : "free")}";

    /// <summary>
    /// O1: one CAS free → in flight. A full fence whether or not it succeeds, so the caller's earlier writes are
    /// ordered before its read of the flags; pairs with the core's release + full fence in
    /// <see cref="ReleaseBeforeInvoke"/>. Returns false (Busy) if the descriptor is in flight.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal bool TryClaim()
    {
        if (FaultInjection.Active && FaultInjection.RacyDescriptorClaim)
        {
            return RacyClaimForFaultInjection();
        }

        return Interlocked.CompareExchange(ref _flags, InFlight, Free) == Free; // O1 (full fence even on failure); pairs with ReleaseBeforeInvoke
    }

    /// <summary>Seed 1's pre-fix claim, for fault injection only: a plain test, then a plain store (no atomicity, no fence).</summary>
    private bool RacyClaimForFaultInjection()
    {
        if (_flags != Free)
        {
            return false;
        }

        Thread.SpinWait(20); // widen the window the way preemption would
        _flags = InFlight;
        return true;
    }

    /// <summary>Releases a claim that was never queued (the call ran inline on the caller's own core, C6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ReleaseBeforeInvoke()
    {
        // O4: release store; pairs with the acquire in IsInFlight and with the next claimer's CAS (TryClaim), which
        // may now succeed.
        Volatile.Write(ref _flags, Free);
        if (FaultInjection.Active && FaultInjection.SkipAsyncReleaseFence)
        {
            return;
        }

        // O4: full fence between the release and the function: the function's loads cannot pass the release store.
        // Pairs with the full fence of a Busy caller's failed CAS in TryClaim: either that caller's CAS saw Free
        // (and it queues the descriptor again), or this function sees everything it wrote before the attempt.
        Interlocked.MemoryBarrier();
    }
}
