using System.Text;
using CrossCore.Kv.Tests.Support;

namespace CrossCore.Kv.Tests;

/// <summary>Input that is not RESP gets a RESP error and a closed connection; a client that vanishes mid-command takes
/// nothing of any other client with it.</summary>
public sealed class BadInputTests
{
    public static TheoryData<Flavour, string> MalformedInputs
    {
        get
        {
            var data = new TheoryData<Flavour, string>();
            string[] inputs =
            [
                "*abc\r\n",                           // the count is not a number
                "*1\r\n$abc\r\n",                     // the length is not a number
                "*2\r\n$3\r\nGET\r\n:5\r\n",          // an element that is not a bulk string
                "*1\r\n$3\r\nGETXX\r\n",              // a bulk string longer than its length
                "*1\r\n$-7\r\n",                      // a negative length
                "*1\r\n$999999999999\r\n",            // a length beyond the limit
                "*99999999999\r\n",                   // a count beyond the limit
                "*" + new string('1', 100),           // a header line that never ends
                new string('a', 70_000),              // an inline command that never ends
            ];
            foreach (var store in Enum.GetValues<Flavour>())
            {
                foreach (var input in inputs)
                {
                    data.Add(store, input);
                }
            }
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(MalformedInputs))]
    public async Task Malformed_input_gets_a_protocol_error_and_the_server_serves_everyone_else(Flavour store, string input)
    {
        await using var server = Servers.Start(store);
        await using var bystander = await RawRespClient.ConnectAsync(server.EndPoint);
        Assert.Equal("OK", await bystander.CallAsync("SET", "before", "1"));

        await using (var offender = await RawRespClient.ConnectAsync(server.EndPoint))
        {
            await offender.SendAsync(Encoding.Latin1.GetBytes(input));
            var reply = Assert.IsType<RespError>(await offender.ReadReplyAsync());
            Assert.StartsWith("ERR Protocol error", reply.Message, StringComparison.Ordinal);
            Assert.True(await offender.IsClosedByServerAsync());
        }

        Assert.Equal(2L, await bystander.CallAsync("INCR", "before"));
        await using var newcomer = await RawRespClient.ConnectAsync(server.EndPoint);
        Assert.Equal("PONG", await newcomer.CallAsync("PING"));
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Empty_lines_and_empty_arrays_are_ignored(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var client = await RawRespClient.ConnectAsync(server.EndPoint);
        await client.SendAsync(Encoding.ASCII.GetBytes("\r\n*0\r\n  \r\n"));
        Assert.Equal("PONG", await client.CallAsync("PING")); // the first reply is PING's: nothing answered the rest
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task A_command_cut_off_by_a_disconnect_is_not_executed(Flavour store)
    {
        await using var server = Servers.Start(store);
        await using var bystander = await RawRespClient.ConnectAsync(server.EndPoint);
        Assert.Equal("PONG", await bystander.CallAsync("PING"));

        var leaver = await RawRespClient.ConnectAsync(server.EndPoint);
        await leaver.SendAsync(Encoding.ASCII.GetBytes("*3\r\n$3\r\nSET\r\n$4\r\nhalf\r\n$5\r\nval"));
        leaver.Reset();
        await WaitForClients(server, connected: 1, received: 2);

        Assert.Null(await bystander.CallAsync("GET", "half"));
        Assert.Equal("OK", await bystander.CallAsync("SET", "after", "x"));
    }

    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task A_client_that_resets_with_replies_pending_loses_nothing_of_the_others(Flavour store)
    {
        await using var server = Servers.Start(store);
        const int Pending = 2000;
        const int Rounds = 200;
        await using var bystander = await RawRespClient.ConnectAsync(server.EndPoint);
        var bystanderWork = Task.Run(async () =>
        {
            for (var i = 0; i < Rounds; i++)
            {
                Assert.Equal((long)(i + 1), await bystander.CallAsync("INCR", "mine"));
                Assert.Equal("OK", await bystander.CallAsync("MSET", $"a{i}", "1", $"b{i}", "2"));
            }
        });

        // A client that pipelines many commands and resets without reading a single reply: the server's writes to it fail.
        var leaver = await RawRespClient.ConnectAsync(server.EndPoint);
        var burst = Enumerable.Range(0, Pending).SelectMany(_ => RawRespClient.Encode("INCR", "theirs")).ToArray();
        await leaver.SendAsync(burst);
        leaver.Reset();

        await bystanderWork;
        await WaitForClients(server, connected: 1, received: 2);

        Assert.Equal((long)Rounds, await bystander.CallAsync("INCR", "mine") is long n ? n - 1 : -1);
        var theirs = (byte[]?)await bystander.CallAsync("GET", "theirs");
        if (theirs is not null)
        {
            // Each INCR ran whole or not at all: an integer between 1 and what was sent.
            Assert.InRange(long.Parse(Encoding.ASCII.GetString(theirs), System.Globalization.CultureInfo.InvariantCulture), 1, Pending);
        }
        var values = (object?[])(await bystander.CallAsync(["MGET", .. Enumerable.Range(0, Rounds).Select(i => $"a{i}")]))!;
        Assert.All(values, v => Assert.Equal("1", Encoding.ASCII.GetString((byte[])v!)));
    }

    /// <summary>
    /// Waits until the server has started a handler for every connection made so far (<paramref name="received"/>:
    /// one accepted late must not be counted after the check) and <paramref name="connected"/> remain open. Bounded;
    /// a guard, not a timing assertion.
    /// </summary>
    private static async Task WaitForClients(KvServer server, long connected, long received)
    {
        for (var i = 0; i < 1200 && (server.ConnectionsReceived != received || server.ConnectedClients != connected); i++)
        {
            await Task.Delay(25);
        }
        Assert.Equal(received, server.ConnectionsReceived);
        Assert.Equal(connected, server.ConnectedClients);
    }
}
