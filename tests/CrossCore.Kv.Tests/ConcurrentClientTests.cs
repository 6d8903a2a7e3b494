using CrossCore.Kv.Tests.Support;
using StackExchange.Redis;

namespace CrossCore.Kv.Tests;

/// <summary>Several clients at once: INCR stays atomic, and no client sees another's keys change under it.</summary>
public sealed class ConcurrentClientTests
{
    [Theory]
    [MemberData(nameof(Servers.Stores), MemberType = typeof(Servers))]
    public async Task Concurrent_clients_lose_no_increment_and_no_write(Flavour store)
    {
        await using var server = Servers.Start(store);
        const int Clients = 8;
        const int Rounds = 300;
        var multiplexers = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => Servers.ConnectAsync(server)));
        try
        {
            await Task.WhenAll(multiplexers.Select((redis, c) => Task.Run(async () =>
            {
                var db = redis.GetDatabase();
                for (var i = 0; i < Rounds; i++)
                {
                    await db.StringIncrementAsync("shared");
                    await db.StringSetAsync($"c{c}:{i}", i);
                    if (i % 10 == 0)
                    {
                        await db.StringSetAsync([new($"m{c}:{i}:a", i), new($"m{c}:{i}:b", i)]);
                    }
                }
            })));

            var check = multiplexers[0].GetDatabase();
            Assert.Equal(Clients * Rounds, (long)await check.StringGetAsync("shared"));
            for (var c = 0; c < Clients; c++)
            {
                var keys = Enumerable.Range(0, Rounds).Select(i => (RedisKey)$"c{c}:{i}").ToArray();
                var values = await check.StringGetAsync(keys);
                Assert.Equal(Enumerable.Range(0, Rounds), values.Select(v => (int)v));
            }
            // shared + Clients*Rounds own keys + 2 per tenth round per client
            Assert.Equal(1L + Clients * Rounds + Clients * (Rounds / 10) * 2, (long)await check.ExecuteAsync("DBSIZE"));
        }
        finally
        {
            foreach (var redis in multiplexers)
            {
                await redis.DisposeAsync();
            }
        }
    }
}
