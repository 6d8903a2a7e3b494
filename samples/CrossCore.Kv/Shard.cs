using System.Runtime.InteropServices;

namespace CrossCore.Kv;

/// <summary>
/// One shard of the sharded store. Every member runs on the shard's own core (inside a function that core runs), so the
/// dictionary needs no lock: the core is the only thread that ever touches it.
/// </summary>
internal sealed class Shard
{
    /// <summary>How many due deadlines one sweep run handles before it asks for another run, so a large backlog is
    /// drained in slices instead of holding the core away from requests.</summary>
    private const int SweepBudget = 1000;

    private readonly Dictionary<string, Entry> _data = new(StringComparer.Ordinal);

    /// <summary>Keys with a deadline, earliest first. An entry is stale when its key was since overwritten, deleted or
    /// given another deadline; the sweep skips those.</summary>
    private readonly PriorityQueue<string, long> _deadlines = new();

    private DeferredWork<Shard>? _sweep;

    /// <summary>Keys stored now.</summary>
    public int Count => _data.Count;

    /// <summary>Keys removed because their deadline passed.</summary>
    public long ExpiredKeys { get; private set; }

    /// <summary>Sweep runs.</summary>
    public long Sweeps { get; private set; }

    /// <summary>Gives the shard its sweep, before any request reaches it.</summary>
    public void AttachSweep(DeferredWork<Shard> sweep) => _sweep = sweep;

    /// <summary>GET: the value, or null if absent or expired (an expired key is removed on the way).</summary>
    public byte[]? Get(string key)
    {
        if (!_data.TryGetValue(key, out var entry))
        {
            return null;
        }
        if (entry.IsExpired(Environment.TickCount64))
        {
            _data.Remove(key);
            ExpiredKeys++;
            return null;
        }
        return entry.Value;
    }

    /// <summary>SET: stores the value; a positive <paramref name="ttlMilliseconds"/> gives it a deadline.</summary>
    public void Set(string key, byte[] value, long ttlMilliseconds)
    {
        var expiresAt = ttlMilliseconds > 0 ? Environment.TickCount64 + ttlMilliseconds : 0;
        _data[key] = new Entry(value, expiresAt);
        if (expiresAt != 0)
        {
            _deadlines.Enqueue(key, expiresAt);
        }
    }

    /// <summary>INCRBY: the new value, or null (nothing changed) if the stored value is not an integer or would overflow.
    /// A key that has a deadline keeps it, as in Redis.</summary>
    public long? Increment(string key, long by)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_data, key, out var exists);
        long current = 0;
        var expiresAt = 0L;
        if (exists && !entry.IsExpired(Environment.TickCount64))
        {
            if (!Integers.TryParse(entry.Value, out current))
            {
                return null;
            }
            expiresAt = entry.ExpiresAt;
        }
        if (!Integers.TryAdd(current, by, out var sum))
        {
            if (!exists)
            {
                _data.Remove(key); // the lookup added a default entry
            }
            return null;
        }
        entry = new Entry(Integers.ToBytes(sum), expiresAt);
        return sum;
    }

    /// <summary>DEL of one key: true if it existed (an expired key counts as absent).</summary>
    public bool Delete(string key)
    {
        if (!_data.Remove(key, out var entry))
        {
            return false;
        }
        if (entry.IsExpired(Environment.TickCount64))
        {
            ExpiredKeys++;
            return false;
        }
        return true;
    }

    /// <summary>
    /// The expiry sweep: the shard's deferred work. Removes the keys whose deadline passed, at most
    /// <see cref="SweepBudget"/> per run; if more are due, queues itself again (from its own run, so it runs once more
    /// at the core's next tick instead of being lost or doubled).
    /// </summary>
    public void Sweep()
    {
        Sweeps++;
        var now = Environment.TickCount64;
        var budget = SweepBudget;
        while (_deadlines.TryPeek(out var key, out var deadline) && deadline <= now)
        {
            if (budget-- == 0)
            {
                _sweep?.Queue();
                return;
            }
            _deadlines.Dequeue();
            // Only the entry this deadline was set for: a later SET may have replaced it.
            if (_data.TryGetValue(key, out var entry) && entry.ExpiresAt == deadline)
            {
                _data.Remove(key);
                ExpiredKeys++;
            }
        }
    }
}
