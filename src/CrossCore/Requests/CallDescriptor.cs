using System.Diagnostics;

namespace CrossCore;

/// <summary>
/// A caller-owned, reusable request for <see cref="CoreSet.TryPost(int, CallDescriptor)"/> that is never queued
/// twice at once: while it is <em>in flight</em> (queued, and not yet started by its core) another post answers
/// <see cref="CallResult.Busy"/> and changes nothing. The kernel's <c>call_single_data_t</c> as used by
/// <c>smp_call_function_single_async</c>.
/// </summary>
/// <remarks>
/// <para>Any number of threads may race to post one descriptor: exactly one of them queues it per run; the others
/// get <see cref="CallResult.Busy"/>. A Busy answer still delivers: the function's next run sees every write the
/// caller made before its attempt. So "mark work, then post the descriptor" never loses the work, whether the post
/// answers Ok or Busy.</para>
/// <para>The descriptor is free again just before its function starts, so the function may post its own descriptor
/// again, and the owner may post it while the function runs: the function then runs again, possibly at the same
/// time on another core.</para>
/// <para>Posting a descriptor allocates nothing.</para>
/// </remarks>
[DebuggerDisplay("{GetType().Name,nq} {IsInFlight ? \"in flight\" : \"free\",nq}")]
public abstract class CallDescriptor
{
    private protected CallDescriptor(AsyncEntry entry) => Entry = entry;

    /// <summary>
    /// True from a successful post until the target core starts the function (a snapshot: another thread may post or
    /// the core may start it right after you read it).
    /// </summary>
    public bool IsInFlight => Entry.IsInFlight;

    /// <summary>The inbox node the descriptor travels as.</summary>
    internal AsyncEntry Entry { get; }
}
