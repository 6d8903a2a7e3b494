namespace CrossCore.Kv;

/// <summary>
/// The shard-per-core store: core i owns <c>_shards[i]</c>, and every command runs on the owning core. A single-key
/// command is one awaited <see cref="CoreSet.InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>;
/// a multi-key command is split by shard and gathered with one awaited
/// <see cref="CoreSet.InvokeOnEachAsync{TState}(CoreMask?, Func{int, TState, bool}?, Action{int, TState}, TState, CoreMask?, CancellationToken)"/>
/// over the shards it touches. Each shard has an expiry sweep, a <see cref="DeferredWork{TState}"/> that a timer asks for
/// every <see cref="KvServerOptions.SweepPeriod"/>: however many requests for it pile up while its core is busy, it runs once.
/// </summary>
internal sealed class ShardedStore : IKvStore
{
    private readonly CoreSet _set;
    private readonly Shard[] _shards;
    private readonly DeferredWork<Shard>[] _sweeps;
    private readonly Timer _sweepTimer;

    /// <summary>Starts <paramref name="cores"/> cores, one shard each, and the sweep timer.</summary>
    public ShardedStore(int cores, bool pin, TimeSpan sweepPeriod)
    {
        _set = new CoreSet(new CoreSetOptions { CoreCount = cores, Name = "kv", PinToHardwareCpus = pin });
        _shards = new Shard[cores];
        _sweeps = new DeferredWork<Shard>[cores];
        for (var i = 0; i < cores; i++)
        {
            _shards[i] = new Shard();
            // Lazy: the sweep runs at the core's next tick and never costs a wake-up of a core that is serving requests.
            _sweeps[i] = new DeferredWork<Shard>(_set, static shard => shard.Sweep(), _shards[i], DeferredWorkOptions.Lazy, defaultCore: i);
            _shards[i].AttachSweep(_sweeps[i]);
        }
        _sweepTimer = new Timer(static s => ((ShardedStore)s!).AskForSweeps(), this, sweepPeriod, sweepPeriod);
    }

    /// <inheritdoc />
    public string Name => "sharded";

    /// <summary>The cores, for a server that runs its connections on them.</summary>
    public CoreSet Set => _set;

    private int ShardOf(string key) => (int)((uint)key.GetHashCode() % (uint)_shards.Length);

    /// <inheritdoc />
    public ValueTask<byte[]?> GetAsync(string key)
    {
        var core = ShardOf(key);
        return _set.InvokeAsync(core, static s => s.Shard.Get(s.Key), (Shard: _shards[core], Key: key));
    }

    /// <inheritdoc />
    public ValueTask SetAsync(string key, byte[] value, long ttlMilliseconds)
    {
        var core = ShardOf(key);
        return _set.InvokeAsync(core, static s => s.Shard.Set(s.Key, s.Value, s.Ttl), (Shard: _shards[core], Key: key, Value: value, Ttl: ttlMilliseconds));
    }

    /// <inheritdoc />
    public ValueTask<long?> IncrementAsync(string key, long by)
    {
        var core = ShardOf(key);
        return _set.InvokeAsync(core, static s => s.Shard.Increment(s.Key, s.By), (Shard: _shards[core], Key: key, By: by));
    }

    /// <inheritdoc />
    public async ValueTask<long> DeleteAsync(string[] keys)
    {
        var split = Split(keys);
        var removed = new long[1];
        await _set.InvokeOnEachAsync(split.Cores, null, static (core, s) =>
        {
            var shard = s.Shards[core];
            long here = 0;
            for (var i = 0; i < s.Keys.Length; i++)
            {
                if (s.ShardOf[i] == core && shard.Delete(s.Keys[i]))
                {
                    here++;
                }
            }
            Interlocked.Add(ref s.Removed[0], here); // atomic: several cores add at once; the many-call's completion orders the read below after every add
        }, (Shards: _shards, Keys: keys, split.ShardOf, Removed: removed));
        return removed[0];
    }

    /// <inheritdoc />
    public async ValueTask SetManyAsync(string[] keys, byte[][] values)
    {
        var split = Split(keys);
        await _set.InvokeOnEachAsync(split.Cores, null, static (core, s) =>
        {
            var shard = s.Shards[core];
            for (var i = 0; i < s.Keys.Length; i++)
            {
                if (s.ShardOf[i] == core)
                {
                    shard.Set(s.Keys[i], s.Values[i], 0);
                }
            }
        }, (Shards: _shards, Keys: keys, Values: values, split.ShardOf));
    }

    /// <inheritdoc />
    public async ValueTask<byte[]?[]> GetManyAsync(string[] keys)
    {
        var split = Split(keys);
        var results = new byte[]?[keys.Length];
        // Each core fills only the slots of its own keys, so the writes never overlap.
        await _set.InvokeOnEachAsync(split.Cores, null, static (core, s) =>
        {
            var shard = s.Shards[core];
            for (var i = 0; i < s.Keys.Length; i++)
            {
                if (s.ShardOf[i] == core)
                {
                    s.Results[i] = shard.Get(s.Keys[i]);
                }
            }
        }, (Shards: _shards, Keys: keys, split.ShardOf, Results: results));
        return results;
    }

    /// <inheritdoc />
    public async ValueTask<KeyspaceInfo> GetKeyspaceAsync()
    {
        // Every shard reports its own counts, read on its own core; [0] keys, [1] expired, [2] sweeps.
        var totals = new long[3];
        await _set.InvokeOnEachAsync(null, null, static (core, s) =>
        {
            var shard = s.Shards[core];
            Interlocked.Add(ref s.Totals[0], shard.Count); // atomic: several cores add at once; the many-call's completion orders the reads below after every add
            Interlocked.Add(ref s.Totals[1], shard.ExpiredKeys); // as above
            Interlocked.Add(ref s.Totals[2], shard.Sweeps); // as above
        }, (Shards: _shards, Totals: totals));
        return new KeyspaceInfo(totals[0], totals[1], totals[2]);
    }

    /// <inheritdoc />
    public CoreSetStatistics? GetCoreStatistics() => _set.GetStatistics();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _sweepTimer.DisposeAsync(); // waits for a timer callback in progress: none queues after this
        await _set.DisposeAsync(); // runs everything accepted, then stops the cores
    }

    /// <summary>The timer's tick: asks every shard for a sweep. Coalesced if the last request has not run yet.</summary>
    private void AskForSweeps()
    {
        for (var i = 0; i < _sweeps.Length; i++)
        {
            _sweeps[i].QueueOn(i);
        }
    }

    /// <summary>Which shard each key belongs to, and the set of shards touched.</summary>
    private (int[] ShardOf, CoreMask Cores) Split(string[] keys)
    {
        var shardOf = new int[keys.Length];
        var cores = new CoreMask();
        for (var i = 0; i < keys.Length; i++)
        {
            shardOf[i] = ShardOf(keys[i]);
            cores.Add(shardOf[i]);
        }
        return (shardOf, cores);
    }
}
