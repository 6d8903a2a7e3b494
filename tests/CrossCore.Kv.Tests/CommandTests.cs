using CrossCore.Kv.Tests.Support;
using StackExchange.Redis;

namespace CrossCore.Kv.Tests;

/// <summary>Every command, through StackExchange.Redis, against both stores.</summary>
public sealed class CommandTests
{
    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Ping_set_get_and_del(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var redis = await Servers.ConnectAsync(server);
        var db = redis.GetDatabase();

        await db.PingAsync();
        Assert.True(await db.StringSetAsync("greeting", "hello"));
        Assert.Equal("hello", (string?)await db.StringGetAsync("greeting"));
        Assert.True((await db.StringGetAsync("absent")).IsNull);

        Assert.True(await db.StringSetAsync("greeting", "again"));
        Assert.Equal("again", (string?)await db.StringGetAsync("greeting"));

        Assert.True(await db.KeyDeleteAsync("greeting"));
        Assert.False(await db.KeyDeleteAsync("greeting"));
        Assert.True((await db.StringGetAsync("greeting")).IsNull);
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Binary_keys_and_values_survive_the_round_trip(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var redis = await Servers.ConnectAsync(server);
        var db = redis.GetDatabase();
        byte[] key = [0, 255, 13, 10, 200, 32];
        var value = Enumerable.Range(0, 100_000).Select(i => (byte)(i * 7)).ToArray();

        Assert.True(await db.StringSetAsync(key, value));
        Assert.Equal(value, (byte[]?)await db.StringGetAsync(key));

        Assert.True(await db.StringSetAsync("empty", Array.Empty<byte>()));
        Assert.Equal(Array.Empty<byte>(), (byte[]?)await db.StringGetAsync("empty")); // empty, not absent
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Incr_incrby_decr_and_their_errors(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var redis = await Servers.ConnectAsync(server);
        var db = redis.GetDatabase();

        Assert.Equal(1, await db.StringIncrementAsync("n"));
        Assert.Equal(2, await db.StringIncrementAsync("n"));
        Assert.Equal(12, await db.StringIncrementAsync("n", 10));
        Assert.Equal(11, await db.StringDecrementAsync("n"));
        Assert.Equal(-9, await db.StringDecrementAsync("n", 20));
        Assert.Equal("-9", (string?)await db.StringGetAsync("n"));

        await db.StringSetAsync("word", "abc");
        var notInteger = await Assert.ThrowsAsync<RedisServerException>(() => db.StringIncrementAsync("word"));
        Assert.Contains("not an integer", notInteger.Message, StringComparison.Ordinal);
        Assert.Equal("abc", (string?)await db.StringGetAsync("word")); // unchanged

        await db.StringSetAsync("max", long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assert.ThrowsAsync<RedisServerException>(() => db.StringIncrementAsync("max"));
        Assert.Equal(long.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), (string?)await db.StringGetAsync("max"));
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Mset_mget_and_multi_key_del_span_every_shard(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var redis = await Servers.ConnectAsync(server);
        var db = redis.GetDatabase();
        // 64 keys: with 2 shards, each gets some (a key's shard is its hash modulo 2).
        var pairs = Enumerable.Range(0, 64).Select(i => new KeyValuePair<RedisKey, RedisValue>($"k{i}", $"v{i}")).ToArray();

        Assert.True(await db.StringSetAsync(pairs));
        RedisKey[] asked = [.. pairs.Select(p => p.Key).Take(10), "missing-1", .. pairs.Select(p => p.Key).Skip(10), "missing-2"];
        var values = await db.StringGetAsync(asked);

        Assert.Equal(asked.Length, values.Length);
        for (var i = 0; i < asked.Length; i++)
        {
            var name = (string)asked[i]!;
            if (name.StartsWith("missing", StringComparison.Ordinal))
            {
                Assert.True(values[i].IsNull);
            }
            else
            {
                Assert.Equal("v" + name[1..], (string?)values[i]);
            }
        }

        Assert.Equal(64, await db.KeyDeleteAsync([.. pairs.Select(p => p.Key), "missing-1"]));
        Assert.All(await db.StringGetAsync(pairs.Select(p => p.Key).ToArray()), v => Assert.True(v.IsNull));
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Dbsize_info_echo_config_and_unknown_commands(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var redis = await Servers.ConnectAsync(server);
        var db = redis.GetDatabase();
        await db.StringSetAsync([new("a", "1"), new("b", "2"), new("c", "3")]);

        Assert.Equal(3L, (long)await db.ExecuteAsync("DBSIZE"));
        Assert.Equal("hi", (string?)await db.ExecuteAsync("ECHO", "hi"));
        var info = (string?)await db.ExecuteAsync("INFO");
        Assert.Contains("store:" + (store == Flavour.Concurrent ? "concurrent" : "sharded"), info, StringComparison.Ordinal);
        Assert.Contains("db0:keys=3", info, StringComparison.Ordinal);
        Assert.Equal(store != Flavour.Concurrent, info!.Contains("# CrossCore", StringComparison.Ordinal));

        // What redis-benchmark asks before it starts: a two-element array per parameter.
        var save = (RedisResult[]?)await db.ExecuteAsync("CONFIG", "GET", "save");
        Assert.Equal(["save", ""], save!.Select(r => (string?)r));
        var appendonly = (RedisResult[]?)await db.ExecuteAsync("CONFIG", "GET", "appendonly");
        Assert.Equal(["appendonly", "no"], appendonly!.Select(r => (string?)r));
        Assert.Empty(((RedisResult[]?)await db.ExecuteAsync("CONFIG", "GET", "no-such-parameter"))!);

        var unknown = await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync("FLY", "away"));
        Assert.Contains("unknown command 'FLY'", unknown.Message, StringComparison.Ordinal);
        var arity = await Assert.ThrowsAsync<RedisServerException>(() => db.ExecuteAsync("GET", "a", "b"));
        Assert.Contains("wrong number of arguments for 'get'", arity.Message, StringComparison.Ordinal);
        Assert.Equal("1", (string?)await db.StringGetAsync("a")); // and the connection still serves
    }
}
