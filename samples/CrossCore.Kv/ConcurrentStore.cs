using System.Collections.Concurrent;

namespace CrossCore.Kv;

/// <summary>
/// The baseline: what a .NET engineer writes first. One <see cref="ConcurrentDictionary{TKey, TValue}"/> shared by every
/// connection; INCR is a compare-and-swap loop on the entry; expiry is a timer that walks the keys that have a deadline.
/// No CrossCore.
/// </summary>
internal sealed class ConcurrentStore : IKvStore
{
    private readonly ConcurrentDictionary<string, Entry> _data = new(StringComparer.Ordinal);

    /// <summary>Keys that were given a deadline (possibly since overwritten); the sweep walks these only.</summary>
    private readonly ConcurrentDictionary<string, long> _deadlines = new(StringComparer.Ordinal);

    private readonly Timer _sweepTimer;
    private long _expired;
    private long _sweeps;
    private int _sweeping;

    /// <summary>Starts the sweep timer.</summary>
    public ConcurrentStore(TimeSpan sweepPeriod) =>
        _sweepTimer = new Timer(static s => ((ConcurrentStore)s!).Sweep(), this, sweepPeriod, sweepPeriod);

    /// <inheritdoc />
    public string Name => "concurrent";

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(string key) => ValueTask.FromResult(Get(key));

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, long ttlMilliseconds)
    {
        Set(key, value, ttlMilliseconds);
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long?> IncrementAsync(string key, long by)
    {
        while (true)
        {
            if (_data.TryGetValue(key, out var entry) && !entry.IsExpired(Environment.TickCount64))
            {
                if (!Integers.TryParse(entry.Value, out var current) || !Integers.TryAdd(current, by, out var sum))
                {
                    return ValueTask.FromResult<long?>(null);
                }
                // TryUpdate compares the whole entry (the array by reference): a concurrent writer makes it fail and we retry.
                if (_data.TryUpdate(key, new Entry(Integers.ToBytes(sum), entry.ExpiresAt), entry))
                {
                    return ValueTask.FromResult<long?>(sum);
                }
            }
            else if (entry.Value is null)
            {
                if (_data.TryAdd(key, new Entry(Integers.ToBytes(by), 0)))
                {
                    return ValueTask.FromResult<long?>(by);
                }
            }
            else if (_data.TryUpdate(key, new Entry(Integers.ToBytes(by), 0), entry))
            {
                CountExpired(); // the expired entry it replaced
                return ValueTask.FromResult<long?>(by);
            }
        }
    }

    /// <inheritdoc />
    public ValueTask<long> DeleteAsync(string[] keys)
    {
        long removed = 0;
        foreach (var key in keys)
        {
            if (_data.TryRemove(key, out var entry))
            {
                if (entry.IsExpired(Environment.TickCount64))
                {
                    CountExpired();
                }
                else
                {
                    removed++;
                }
            }
        }
        return ValueTask.FromResult(removed);
    }

    /// <inheritdoc />
    public ValueTask SetManyAsync(string[] keys, byte[][] values)
    {
        for (var i = 0; i < keys.Length; i++)
        {
            Set(keys[i], values[i], 0);
        }
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<byte[]?[]> GetManyAsync(string[] keys)
    {
        var results = new byte[]?[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            results[i] = Get(keys[i]);
        }
        return ValueTask.FromResult(results);
    }

    /// <inheritdoc />
    public ValueTask<KeyspaceInfo> GetKeyspaceAsync() =>
        ValueTask.FromResult(new KeyspaceInfo(_data.Count, Interlocked.Read(ref _expired), Interlocked.Read(ref _sweeps)));

    /// <inheritdoc />
    public CoreSetStatistics? GetCoreStatistics() => null;

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _sweepTimer.DisposeAsync();

    private byte[]? Get(string key)
    {
        if (!_data.TryGetValue(key, out var entry))
        {
            return null;
        }
        if (entry.IsExpired(Environment.TickCount64))
        {
            // Removes only this exact entry: a SET that replaced it meanwhile survives.
            if (_data.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
            {
                CountExpired();
            }
            return null;
        }
        return entry.Value;
    }

    private void Set(string key, byte[] value, long ttlMilliseconds)
    {
        var expiresAt = ttlMilliseconds > 0 ? Environment.TickCount64 + ttlMilliseconds : 0;
        _data[key] = new Entry(value, expiresAt);
        if (expiresAt != 0)
        {
            _deadlines[key] = expiresAt;
        }
    }

    /// <summary>The timer's tick: removes the entries whose deadline passed. Skipped if the previous tick still runs.</summary>
    private void Sweep()
    {
        if (Interlocked.Exchange(ref _sweeping, 1) != 0) // atomic claim: one sweep at a time; pairs with the release below
        {
            return;
        }
        try
        {
            Interlocked.Increment(ref _sweeps); // atomic: read by INFO on other threads; orders nothing
            var now = Environment.TickCount64;
            foreach (var (key, deadline) in _deadlines)
            {
                if (deadline > now)
                {
                    continue;
                }
                _deadlines.TryRemove(new KeyValuePair<string, long>(key, deadline));
                if (_data.TryGetValue(key, out var entry) && entry.ExpiresAt == deadline &&
                    _data.TryRemove(new KeyValuePair<string, Entry>(key, entry)))
                {
                    CountExpired();
                }
            }
        }
        finally
        {
            Volatile.Write(ref _sweeping, 0); // release: the next claim (the Exchange above) sees this sweep finished
        }
    }

    private void CountExpired() => Interlocked.Increment(ref _expired); // atomic: counted from many threads; orders nothing
}
