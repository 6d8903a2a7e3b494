namespace CrossCore;

/// <summary>What a producer's <see cref="Parker.Wake"/> did.</summary>
internal enum WakeResult : byte
{
    /// <summary>The owner was running: it re-checks its work before idling.</summary>
    NotNeeded,

    /// <summary>The owner was polling: no signal needed (the kernel's <c>set_nr_if_polling</c>).</summary>
    Avoided,

    /// <summary>The owner was parked: the event was signalled (an IPI).</summary>
    Sent,
}
