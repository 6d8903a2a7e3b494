using System.Text;
using CrossCore.Kv.Tests.Support;

namespace CrossCore.Kv.Tests;

/// <summary>Many commands in one write: every reply comes back, in request order.</summary>
public sealed class PipeliningTests
{
    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task A_thousand_commands_in_one_write_get_their_replies_in_order(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var client = await RawRespClient.ConnectAsync(server.EndPoint);
        const int Rounds = 250;
        var batch = new List<byte>();
        for (var i = 0; i < Rounds; i++)
        {
            batch.AddRange(RawRespClient.Encode("SET", $"p{i}", $"v{i}"));
            batch.AddRange(RawRespClient.Encode("INCR", "pipelined"));
            batch.AddRange(RawRespClient.Encode("GET", $"p{i}"));
            batch.AddRange(Encoding.ASCII.GetBytes("PING\r\n")); // inline, as redis-benchmark's PING_INLINE
        }
        await client.SendAsync([.. batch]);

        for (var i = 0; i < Rounds; i++)
        {
            Assert.Equal("OK", await client.ReadReplyAsync());
            Assert.Equal((long)(i + 1), await client.ReadReplyAsync());
            Assert.Equal($"v{i}", Encoding.ASCII.GetString((byte[])(await client.ReadReplyAsync())!));
            Assert.Equal("PONG", await client.ReadReplyAsync());
        }
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task A_command_split_across_writes_byte_by_byte_is_read_whole(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var client = await RawRespClient.ConnectAsync(server.EndPoint);
        var bytes = RawRespClient.Encode("MSET", "s1", "one", "s2", "two");
        foreach (var b in bytes)
        {
            await client.SendAsync([b]);
        }
        Assert.Equal("OK", await client.ReadReplyAsync());
        var values = (object?[])(await client.CallAsync("MGET", "s1", "s2", "s3"))!;
        Assert.Equal("one", Encoding.ASCII.GetString((byte[])values[0]!));
        Assert.Equal("two", Encoding.ASCII.GetString((byte[])values[1]!));
        Assert.Null(values[2]);
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task StackExchange_Redis_batches_pipeline_and_complete(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var redis = await Servers.ConnectAsync(server);
        var db = redis.GetDatabase();
        var batch = db.CreateBatch();
        var sets = Enumerable.Range(0, 500).Select(i => batch.StringSetAsync($"b{i}", i)).ToArray();
        var incrs = Enumerable.Range(0, 500).Select(_ => batch.StringIncrementAsync("batched")).ToArray();
        batch.Execute();

        Assert.All(await Task.WhenAll(sets), Assert.True);
        Assert.Equal(Enumerable.Range(1, 500).Select(i => (long)i), await Task.WhenAll(incrs));
        Assert.Equal(499, (int)await db.StringGetAsync("b499"));
    }
}
