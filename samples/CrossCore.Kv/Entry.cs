namespace CrossCore.Kv;

/// <summary>A stored value and its deadline. Values are never mutated in place (a write stores a new array), so a
/// reader may hold one after it left the shard.</summary>
/// <param name="Value">The value's bytes.</param>
/// <param name="ExpiresAt">When it expires, in <see cref="Environment.TickCount64"/> milliseconds; 0 for never.</param>
internal readonly record struct Entry(byte[] Value, long ExpiresAt)
{
    /// <summary>True if the entry has a deadline and it has passed at <paramref name="now"/>.</summary>
    public bool IsExpired(long now) => ExpiresAt != 0 && ExpiresAt <= now;
}
