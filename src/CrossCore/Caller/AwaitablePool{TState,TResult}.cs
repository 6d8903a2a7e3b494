using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// The pool of <see cref="AwaitableCall{TState, TResult}"/>: one entry cached per thread (an await loop rents and
/// returns on the same thread), the rest in a shared queue. Steady state allocates nothing (P7).
/// </summary>
internal static class AwaitablePool<TState, TResult>
{
    [ThreadStatic]
    private static AwaitableCall<TState, TResult>? t_cached;

    private static readonly ConcurrentQueue<AwaitableCall<TState, TResult>> s_shared = new();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static AwaitableCall<TState, TResult> Rent()
    {
        var call = t_cached;
        if (call is not null)
        {
            t_cached = null;
            return call;
        }

        return s_shared.TryDequeue(out call) ? call : new AwaitableCall<TState, TResult>();
    }

    /// <summary>Returns an entry both owners have let go of.</summary>
    public static void Return(AwaitableCall<TState, TResult> call)
    {
        if (t_cached is null)
        {
            t_cached = call;
        }
        else
        {
            s_shared.Enqueue(call);
        }
    }
}
