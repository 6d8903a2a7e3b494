using CrossCore.Kv.Tests.Support;

namespace CrossCore.Kv.Tests;

/// <summary>The CrossCore counters the bench reads: requests reach the cores, batches and wake-ups are counted.</summary>
public sealed class StatisticsTests
{
    [Fact]
    public async Task The_sharded_store_counts_calls_batches_and_deferred_runs()
    {
        await using var server = Servers.Start(Flavour.Sharded);
        await using var client = await RawRespClient.ConnectAsync(server.EndPoint);
        const int Sets = 100;
        for (var i = 0; i < Sets; i++)
        {
            Assert.Equal("OK", await client.CallAsync("SET", $"s{i}", "v"));
        }
        var stats = server.GetCoreStatistics();
        Assert.NotNull(stats);
        // Each SET was one awaited call on its key's core; nothing else called the cores but the sweeps and DBSIZE.
        Assert.True(stats.BatchEntries >= Sets, $"batch entries {stats.BatchEntries}");
        Assert.True(stats.Batches >= 1 && stats.MeanBatch >= 1, $"batches {stats.Batches}, mean {stats.MeanBatch}");
        Assert.True(stats.WakeupsSent + stats.WakeupsAvoided >= 1);
        Assert.Equal(0, stats.FunctionExceptions);
        Assert.True(server.CommandsProcessed >= Sets);

        // The sweep timer keeps asking; runs happen (bounded wait, a guard only).
        for (var i = 0; i < 1200 && server.GetCoreStatistics()!.DeferredRuns == 0; i++)
        {
            await Task.Delay(25);
        }
        Assert.True(server.GetCoreStatistics()!.DeferredRuns > 0);
    }

    [Fact]
    public async Task The_baseline_has_no_core_set()
    {
        await using var server = Servers.Start(Flavour.Concurrent);
        Assert.Null(server.GetCoreStatistics());
    }
}
