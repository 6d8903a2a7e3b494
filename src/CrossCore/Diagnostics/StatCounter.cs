using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// Reads and updates of the statistics counters (<see cref="CoreCounters"/>, the stuck-call detector) from other
/// threads than their writer. A counter orders nothing: no code decides on its value, and a reader gets a snapshot in
/// which each value is one the counter really had (together they are not one instant, as for any counter).
/// </summary>
internal static class StatCounter
{
    /// <summary>Reads a counter another thread writes.</summary>
    /// <remarks>Volatile.Read, for two reasons that are not ordering: a 64-bit read is untorn even on a 32-bit platform,
    /// and it is made afresh in a caller's polling loop (a plain read may be hoisted out of it). It pairs with the
    /// writer's increment: a plain one by the owning core's thread, or <see cref="Add(ref long, long)"/>.</remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static long Read(ref long counter) => Volatile.Read(ref counter);

    /// <inheritdoc cref="Read(ref long)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read(ref int counter) => Volatile.Read(ref counter);

    /// <summary>Adds to a counter that several threads update at once: an interlocked add, for atomicity against the other adders.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref long counter, long delta = 1) => Interlocked.Add(ref counter, delta);

    /// <inheritdoc cref="Add(ref long, long)"/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(ref int counter, int delta = 1) => Interlocked.Add(ref counter, delta);
}
