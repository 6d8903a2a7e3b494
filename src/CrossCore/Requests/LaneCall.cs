using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A waiting call's descriptor that has a lane of its own on one core (<see cref="CoreLanes"/>): the core polls it
/// directly, so a call from a known sender costs the round trip of two cache lines, the owner's request line and the
/// core's reply line (<see cref="LaneReply"/>), and nothing else: no inbox head, no idle-state write. ffwd's per-client
/// request lines; the kernel has no counterpart (its senders always push onto <c>call_single_queue</c>).
/// </summary>
/// <remarks>
/// <para>The request word holds the sequence number of the owner's newest request; the reply's
/// <see cref="LaneReply.Done"/> that of the newest completed one. A request is pending while request &gt; done. Only the
/// owner raises the request word; another thread only ever <em>retires</em> it, by one CAS from an idle or pending
/// value <c>n</c> to <c>~n</c> (negative, so never pending): a thief taking an idle lane (<see cref="TryRetireIdle"/>)
/// or a disposed set's core taking a pending request in a contest with its owner (<see cref="TryTakeContested"/>). The
/// owner's publishing CAS fails on a retired word, so it never publishes into a lane it lost.</para>
/// <para>An entry of kind <see cref="EntryKind.Sync"/> that is never pushed onto an inbox: the lane is its only path.</para>
/// </remarks>
internal abstract class LaneCall : InboxEntry
{
    /// <summary>The request word (see the remarks). Written by the owner; retired by others with a CAS.</summary>
    private protected long _request;

    private protected LaneCall(LaneReply reply)
        : base(EntryKind.Sync) => Reply = reply;

    /// <summary>The core's half, allocated with this call (right after it, so the two never share a line).</summary>
    internal LaneReply Reply { get; }

    /// <summary>Owner only: true while a slot of its core's lanes holds this call.</summary>
    internal bool Joined;

    /// <summary>
    /// The core's poll: true if the owner has published a request the core has not completed. The acquire read of the
    /// request word pairs with the owner's publishing CAS in <see cref="LaneCall{TState, TResult}.TryPublish"/>: the
    /// function and state it armed are visible to the core that runs the call (O2 for lanes).
    /// </summary>
    internal bool IsRequested
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => Volatile.Read(ref _request) > Volatile.Read(ref Reply.Done); // Done: acquire; pairs with the releases in Execute and TakeBackIfClosed (only the core and, after a dispose, the owner write it)
    }

    /// <summary>
    /// A disposed set's core taking a pending request (C9): one CAS from pending <c>n</c> to retired <c>~n</c>, against
    /// the owner's <see cref="LaneCall{TState, TResult}.TakeBackIfClosed"/>. Exactly one of the two wins and runs the call.
    /// </summary>
    internal bool TryTakeContested()
    {
        var request = Volatile.Read(ref _request); // acquire; pairs with the owner's publishing CAS
        // Full fence; the arbiter against the owner's CAS in TakeBackIfClosed for the same pending value.
        return request > Volatile.Read(ref Reply.Done) && Interlocked.CompareExchange(ref _request, ~request, request) == request;
    }

    /// <summary>
    /// A thief taking this call's lane (the owner has not called through it since <paramref name="seen"/>): retires the
    /// request word if it still reads <paramref name="seen"/> and nothing is pending. The owner's next publishing CAS
    /// then fails, and it leaves the lane.
    /// </summary>
    internal bool TryRetireIdle(long seen) =>
        seen >= 0
        && Volatile.Read(ref Reply.Done) == seen // acquire; pairs with the release in Execute: nothing is pending
        // Full fence; pairs with the owner's publishing CAS, which expects the same value: one of the two fails.
        && Interlocked.CompareExchange(ref _request, ~seen, seen) == seen;

    /// <summary>The request word now, for a thief's two looks at an idle lane (acquire; pairs with the owner's CAS).</summary>
    internal long RequestWord => Volatile.Read(ref _request);
}
