using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// An inbox entry released by the core <em>before</em> its function runs (the kernel's CSD_TYPE_ASYNC): the node
/// behind a public <see cref="CallDescriptor"/> and the per-sender descriptor of a posted call.
/// </summary>
/// <remarks>
/// <para>In flight from a successful claim until the core releases it, just before its function runs. The claim is
/// one compare-and-swap free→in-flight (O1), so any number of threads may race to queue one entry: exactly one wins
/// per release. The core releases it, then takes a full fence, then runs the function (O4); so a Busy answer
/// guarantees that the function which runs next sees every write the caller made before the attempt.</para>
/// </remarks>
[DebuggerDisplay("{DebuggerDisplay,nq}")]
internal abstract partial class AsyncEntry : InboxEntry
{
    private const int Free = 0;
    private const int InFlight = 1;

    private int _flags;

    private protected AsyncEntry() : base(EntryKind.Async)
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
        if (FaultInjection.Enabled && TryFaultyClaim(out var claimed)) // test-only emulations (Faults/AsyncEntry.Faults.cs)
        {
            return claimed;
        }

        return Interlocked.CompareExchange(ref _flags, InFlight, Free) == Free; // O1 (full fence even on failure); pairs with ReleaseBeforeInvoke
    }

    /// <summary>
    /// Releases the claim just before the function runs: every run of an async entry goes through here, whether its
    /// core runs it from a batch, it runs inline on its own core (C6), or the caller runs it because a disposed set's
    /// inbox refused it. The entry may be claimed again as soon as this returns.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ReleaseBeforeInvoke()
    {
        if (FaultInjection.Enabled && TryFaultyRelease()) // test-only emulations (Faults/AsyncEntry.Faults.cs)
        {
            return;
        }

        // O4: release store; pairs with the acquire in IsInFlight and with the next claimer's CAS (TryClaim), which
        // may now succeed.
        Volatile.Write(ref _flags, Free);

        // O4: full fence between the release and the function: the function's loads cannot pass the release store.
        // Pairs with the full fence of a Busy caller's failed CAS in TryClaim: either that caller's CAS saw Free
        // (and it queues the descriptor again), or this function sees everything it wrote before the attempt.
        Interlocked.MemoryBarrier();
    }
}
