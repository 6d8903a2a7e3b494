using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// Per-thread descriptors for waiting and posted calls with state type <typeparamref name="TState"/> and result type
/// <typeparamref name="TResult"/>, one per target core: the kernel's per-CPU <c>csd_data</c> and per-pair
/// <c>cfd_data</c>. They make calls allocation-free after a thread's first call to each core (P4).
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
    private static NoWaitCall<TState>[]? t_noWait;

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

    /// <summary>The calling thread's posted-call descriptor for <paramref name="core"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static NoWaitCall<TState> NoWait(int core)
    {
        var slots = t_noWait;
        if (slots is not null && (uint)core < (uint)slots.Length && slots[core] is { } call)
        {
            return call;
        }

        return CreateNoWait(core);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static SyncCall<TState, TResult> CreateSync(int core)
    {
        EnsureLength(ref t_sync, core);
        return t_sync![core] = new SyncCall<TState, TResult>();
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static NoWaitCall<TState> CreateNoWait(int core)
    {
        EnsureLength(ref t_noWait, core);
        return t_noWait![core] = new NoWaitCall<TState>(CoreContext.CurrentParker);
    }

    private static void EnsureLength<T>(ref T[]? slots, int core)
    {
        if (slots is null || slots.Length <= core)
        {
            Array.Resize(ref slots, Math.Max(core + 1, Math.Max(8, (slots?.Length ?? 0) * 2)));
        }
    }
}
