using System.Runtime.ExceptionServices;

namespace CrossCore;

/// <summary>The core's half of a <see cref="LaneCall{TState, TResult}"/>: completion, result and exception, written by the core only.</summary>
/// <typeparam name="TResult">The function's result type.</typeparam>
internal sealed class LaneReply<TResult> : LaneReply
{
    /// <summary>The function's result, published by the release of <see cref="LaneReply.Done"/>.</summary>
    internal TResult Result = default!;

    /// <summary>The function's exception, or null; published by the release of <see cref="LaneReply.Done"/>. The owner
    /// clears it after reading (the exception path only, so the core's line is not written on every call).</summary>
    internal ExceptionDispatchInfo? Error;

#pragma warning disable IDE0051, CS0169 // never read: it only keeps the next allocation off the lines of the fields above
    private CacheLinePadding _padding;
#pragma warning restore IDE0051, CS0169
}
