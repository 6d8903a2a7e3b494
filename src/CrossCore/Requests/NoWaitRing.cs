using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// One thread's posting descriptors for one target core (and state type): a small ring of <see cref="NoWaitCall{TState}"/>
/// where the kernel has one per-sender <c>csd_data</c>. A post takes the slot at the cursor, which holds the thread's
/// post made N posts earlier (N: the set's ring size, <see cref="CoreSet.NoWaitRingSize"/>), the oldest of the ring; it
/// waits only if that slot is still queued, until it is dequeued. So a sender waits only while it already has N posts
/// to the core not yet dequeued (C1 with a ring; N = 1 is the kernel's behaviour).
/// </summary>
/// <remarks>
/// <para>Owner-private: only the owning thread touches the ring's array and cursor (tasks that share a core's thread
/// share its ring; a post never yields inside, and handler context, the only thing a waiting post runs, may not post).
/// The core touches only the slots, through their claim (O1) and release (O4), as it did the single descriptor: each
/// slot is claimed by one CAS before it is armed and never re-armed while queued (C13).</para>
/// <para>Why the cursor's slot is the only one worth waiting for: one thread's posts to one core are pushed in program
/// order onto one inbox and run (released) in that order (O2, §5.1), so while the oldest is queued every younger one is
/// too. The ring is shared by every <see cref="CoreSet"/> the thread posts to (as the single descriptor was); between two
/// sets that order does not hold, and a post may then wait for its slot while another is free: it still waits only for
/// its own post made N posts earlier.</para>
/// <para>The slots are allocated with the ring (the thread's first post to that core), so later posts allocate nothing
/// (P4) whatever the target's speed; a set with a larger ring than the one that created it adds the missing slots when
/// the cursor first reaches them.</para>
/// </remarks>
internal sealed class NoWaitRing<TState>
{
    private readonly NoWaitCall<TState>?[] _slots = new NoWaitCall<TState>?[CoreSetOptions.MaxNoWaitRingSize];
    private readonly Parker _owner;
    private int _next; // plain: owner-private

    /// <param name="owner">The parker of the owning thread (it waits on it for a slot).</param>
    /// <param name="size">How many slots to allocate now: the ring size of the set of the thread's first post.</param>
    public NoWaitRing(Parker owner, int size)
    {
        _owner = owner;
        for (var i = 0; i < size; i++)
        {
            _slots[i] = new NoWaitCall<TState>(owner);
        }
    }

    /// <summary>The slot at <paramref name="index"/>, or null if not allocated (tests only; owner thread only).</summary>
    internal NoWaitCall<TState>? Slot(int index) => _slots[index];

    /// <summary>
    /// Claims the cursor's slot for a post to <paramref name="target"/> of <paramref name="set"/> (whose ring size is the
    /// ring's length for this post), waiting first until it is dequeued if it is still queued (C1); advances the cursor.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public NoWaitCall<TState> Claim(CoreSet set, Core target)
    {
        var size = set.NoWaitRingSize;
        var i = _next;
        if (i >= size)
        {
            i = 0; // the cursor ran on under a set with a larger ring: this set uses the first slots only
        }

        _next = i + 1 < size ? i + 1 : 0;
        var slot = _slots[i] ?? AddSlot(i);
        if (!slot.TryClaim()) // O1; only this thread claims its own slots, so it fails only while the slot is queued
        {
            WaitAndClaim(set, target, slot);
        }

        return slot;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private NoWaitCall<TState> AddSlot(int i) => _slots[i] = new NoWaitCall<TState>(_owner);

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void WaitAndClaim(CoreSet set, Core target, NoWaitCall<TState> slot)
    {
        Waiter.WaitUntil(new NoWaitCall<TState>.Free(slot), set, target.Id, slot); // C1: until this slot is dequeued
        if (!slot.TryClaim()) // O1: released (the wait's acquire read saw it), and only this thread claims it
        {
            throw new InvalidOperationException("CrossCore internal error: a thread's posting descriptor was claimed by another thread.");
        }
    }
}
