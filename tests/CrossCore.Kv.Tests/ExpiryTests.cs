using System.Text;
using CrossCore.Kv.Tests.Support;

namespace CrossCore.Kv.Tests;

/// <summary>SET with EX/PX: a read never returns an expired key, and the sweep removes expired keys nobody reads.</summary>
public sealed class ExpiryTests
{
    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task The_sweep_removes_expired_keys_that_are_never_read(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var client = await RawRespClient.ConnectAsync(server.EndPoint);
        const int Keys = 2500; // more than one sweep run handles at once in the sharded store: it must queue itself again
        var batch = Enumerable.Range(0, Keys).SelectMany(i => RawRespClient.Encode("SET", $"t{i}", "v", "PX", "1")).ToArray();
        await client.SendAsync(batch);
        for (var i = 0; i < Keys; i++)
        {
            Assert.Equal("OK", await client.ReadReplyAsync());
        }
        Assert.Equal("OK", await client.CallAsync("SET", "forever", "v"));

        // No GET touches the keys: only the sweep can remove them. Bounded wait (a guard, not a timing assertion).
        long size = -1;
        for (var i = 0; i < 1200 && size != 1; i++)
        {
            size = (long)(await client.CallAsync("DBSIZE"))!;
            if (size != 1)
            {
                await Task.Delay(25);
            }
        }
        Assert.Equal(1L, size);
        var info = Encoding.ASCII.GetString((byte[])(await client.CallAsync("INFO"))!);
        Assert.Contains($"expired_keys:{Keys}\r\n", info, StringComparison.Ordinal);
        Assert.Equal("v", Encoding.ASCII.GetString((byte[])(await client.CallAsync("GET", "forever"))!));
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Overwriting_a_key_drops_its_deadline_and_bad_ttls_are_refused(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var client = await RawRespClient.ConnectAsync(server.EndPoint);
        Assert.Equal("OK", await client.CallAsync("SET", "k", "old", "PX", "1"));
        Assert.Equal("OK", await client.CallAsync("SET", "k", "new"));
        Assert.Equal("OK", await client.CallAsync("SET", "gone", "x", "PX", "1"));
        Assert.Equal("OK", await client.CallAsync("SET", "later", "y", "EX", "3600"));

        // Wait until 'gone' has expired (read lazily or swept), then 'k' must still be there: its first deadline was dropped.
        for (var i = 0; i < 1200 && await client.CallAsync("GET", "gone") is not null; i++)
        {
            await Task.Delay(25);
        }
        Assert.Null(await client.CallAsync("GET", "gone"));
        Assert.Equal("new", Encoding.ASCII.GetString((byte[])(await client.CallAsync("GET", "k"))!));
        Assert.Equal("y", Encoding.ASCII.GetString((byte[])(await client.CallAsync("GET", "later"))!));

        Assert.IsType<RespError>(await client.CallAsync("SET", "k", "v", "PX", "0"));
        Assert.IsType<RespError>(await client.CallAsync("SET", "k", "v", "EX", "soon"));
        Assert.IsType<RespError>(await client.CallAsync("SET", "k", "v", "KEEPALIVE"));
        Assert.Equal("new", Encoding.ASCII.GetString((byte[])(await client.CallAsync("GET", "k"))!));
    }
}
