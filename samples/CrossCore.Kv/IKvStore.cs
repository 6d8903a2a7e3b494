namespace CrossCore.Kv;

/// <summary>
/// What the commands need from a store. Keys are strings holding one char per byte (Latin-1, lossless for any bytes);
/// values are byte arrays that no one mutates after they are stored.
/// </summary>
internal interface IKvStore : IAsyncDisposable
{
    /// <summary>"sharded" or "concurrent", as INFO shows it.</summary>
    string Name { get; }

    /// <summary>The value of <paramref name="key"/>, or null if it is absent or expired.</summary>
    ValueTask<byte[]?> GetAsync(string key);

    /// <summary>Stores <paramref name="value"/> under <paramref name="key"/>; <paramref name="ttlMilliseconds"/> &gt; 0 sets
    /// a deadline, 0 clears any.</summary>
    ValueTask SetAsync(string key, byte[] value, long ttlMilliseconds);

    /// <summary>Adds <paramref name="by"/> to the integer stored under <paramref name="key"/> (absent counts as 0) and returns
    /// the new value; null, with nothing changed, if the value is not an integer or the sum overflows.</summary>
    ValueTask<long?> IncrementAsync(string key, long by);

    /// <summary>Removes the keys and returns how many existed.</summary>
    ValueTask<long> DeleteAsync(string[] keys);

    /// <summary>Stores <c>values[i]</c> under <c>keys[i]</c>, without deadlines. Not atomic across keys.</summary>
    ValueTask SetManyAsync(string[] keys, byte[][] values);

    /// <summary>The values of the keys, null where absent or expired.</summary>
    ValueTask<byte[]?[]> GetManyAsync(string[] keys);

    /// <summary>Counts the keys and the expired keys removed so far.</summary>
    ValueTask<KeyspaceInfo> GetKeyspaceAsync();

    /// <summary>The core set's counters; null for a store without one.</summary>
    CoreSetStatistics? GetCoreStatistics();
}
