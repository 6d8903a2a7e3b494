using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// Per-thread descriptors for waiting and posted calls with state type <typeparamref name="TState"/> and result type
/// <typeparamref name="TResult"/>, per target core: one sync descriptor, one lane descriptor
/// (<see cref="LaneCall{TState, TResult}"/>) and one ring of posting descriptors (<see cref="NoWaitRing{TState}"/>)
/// each, the kernel's per-CPU <c>csd_data</c> and per-pair <c>cfd_data</c>. They make calls allocation-free after a
/// thread's first call to each core (P4).
/// </summary>
/// <remarks>
/// A thread never needs two sync descriptors for the same target at once: waiting calls are forbidden in handler
/// context, which is the only thing a waiting thread runs while it waits. Should that ever break, the descriptor's
/// claim (C13) refuses the second use. Slots are shared by every <see cref="CoreSet"/> the thread calls into.
/// </remarks>
internal static class CallPool<TState, TResult>
{
    [ThreadStatic]
    private static SyncCall<TState, TResult>[]? t_sync;

    [ThreadStatic]
    private static NoWaitRing<TState>[]? t_noWait;

    [ThreadStatic]
    private static LaneCall<TState, TResult>[]? t_lane;

    /// <summary>The calling thread's sync descriptor for <paramref name="core"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static SyncCall<TState, TResult> Sync(int core)
    {
        var slots = t_sync;
        if (slots is not null && (uint)core < (uint)slots.Length && slots[core] is { } call)
        {
            return call;
        }

        return CreateSync(core);
    }

    /// <summary>
    /// The calling thread's lane descriptor for <paramref name="core"/>, or null if the thread's descriptor for that id
    /// is bound to a core of another set that is still running (the call then goes through the inbox). A descriptor
    /// bound to a disposed set's core is replaced: one allocation per set the thread calls after a dispose.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static LaneCall<TState, TResult>? Lane(Core core)
    {
        var slots = t_lane;
        if (slots is not null && (uint)core.Id < (uint)slots.Length && slots[core.Id] is { } call && call.Bound == core)
        {
            return call;
        }

        return CreateLane(core);
    }

    /// <summary>The calling thread's ring of posting descriptors for <paramref name="core"/>.</summary>
    /// <param name="core">The target core's id.</param>
    /// <param name="size">The ring size of the target's set: how many descriptors a new ring allocates.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NoWaitRing<TState> NoWait(int core, int size)
    {
        var slots = t_noWait;
        if (slots is not null && (uint)core < (uint)slots.Length && slots[core] is { } call)
        {
            return call;
        }

        return CreateNoWait(core, size);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SyncCall<TState, TResult> CreateSync(int core)
    {
        EnsureLength(ref t_sync, core);
        return t_sync![core] = new SyncCall<TState, TResult>();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static LaneCall<TState, TResult>? CreateLane(Core core)
    {
        EnsureLength(ref t_lane, core.Id);
        if (t_lane![core.Id] is { } bound && !bound.Bound.Lanes.IsClosed)
        {
            return null; // bound to a live core of another set
        }

        return t_lane[core.Id] = new LaneCall<TState, TResult>(core, CoreContext.CurrentParker);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static NoWaitRing<TState> CreateNoWait(int core, int size)
    {
        EnsureLength(ref t_noWait, core);
        return t_noWait![core] = new NoWaitRing<TState>(CoreContext.CurrentParker, size);
    }

    private static void EnsureLength<T>(ref T[]? slots, int core)
    {
        if (slots is null || slots.Length <= core)
        {
            Array.Resize(ref slots, Math.Max(core + 1, Math.Max(8, (slots?.Length ?? 0) * 2)));
        }
    }
}
