namespace CrossCore;

/// <summary>
/// The core's half of a <see cref="LaneCall"/>: the sequence number of the last request it completed. Only the core
/// that serves the lane writes it (and an owner that took its own request back from a disposed set's core, C9), so it
/// sits in its own object, on lines apart from the owner's request (<see cref="LaneReply{TResult}"/> adds the result).
/// </summary>
internal abstract class LaneReply
{
    /// <summary>The sequence number of the last completed request. Written with <see cref="Interlocked.Exchange(ref long, long)"/>
    /// by the releaser (O4); read by the owner (acquire) and by the core's scan.</summary>
    internal long Done;
}
