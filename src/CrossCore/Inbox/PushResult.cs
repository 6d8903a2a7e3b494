namespace CrossCore;

/// <summary>The outcome of <see cref="Inbox.Push"/>.</summary>
internal enum PushResult : byte
{
    /// <summary>Queued onto an empty inbox: this producer owes the core a wake-up (O3).</summary>
    WasEmpty,

    /// <summary>Queued behind other entries: the producer of the oldest one wakes the core (O3).</summary>
    WasNotEmpty,

    /// <summary>Not queued: the set was disposed and the core made its last detach.</summary>
    Closed,
}
