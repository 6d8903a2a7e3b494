namespace CrossCore.Tests.Examples;

/// <summary>The README's first example, verbatim: a key-value store with one shard per core.</summary>
public sealed class KvStore : IAsyncDisposable
{
    private readonly CoreSet _set;
    private readonly Dictionary<string, string>[] _shards;   // shard i belongs to core i

    public KvStore(int cores)
    {
        _set = new CoreSet(new CoreSetOptions { CoreCount = cores, Name = "kv" });
        _shards = new Dictionary<string, string>[cores];
        for (var i = 0; i < cores; i++) _shards[i] = new();
    }

    private int CoreOf(string key) => (int)((uint)key.GetHashCode() % (uint)_shards.Length);

    // Run on the key's core and wait for the answer. Static lambda + state: no allocation for the call.
    public string? Get(string key) =>
        _set.Invoke(CoreOf(key), static s => s.shard.GetValueOrDefault(s.key), (shard: _shards[CoreOf(key)], key));

    // The same, awaited: no thread blocks while the core works; the request is pooled (0 B per call).
    public ValueTask<string?> GetAsync(string key, CancellationToken ct = default) =>
        _set.InvokeAsync(CoreOf(key), static s => s.shard.GetValueOrDefault(s.key), (shard: _shards[CoreOf(key)], key), ct);

    public ValueTask SetAsync(string key, string value) =>
        _set.InvokeAsync(CoreOf(key), static s => { s.shard[s.key] = s.value; }, (shard: _shards[CoreOf(key)], key, value));

    // Every core runs the function on its own shard; the result says how many cores took part.
    public int Count()
    {
        var total = new int[1];
        _set.InvokeOnEach(null, null, static (core, s) => Interlocked.Add(ref s.total[0], s.shards[core].Count), (shards: _shards, total));
        return total[0];
    }

    public ValueTask DisposeAsync() => _set.DisposeAsync();   // runs everything accepted, then stops the cores
}
