using System.Collections.Concurrent;

namespace CrossCore.Tests.Examples;

/// <summary>The README's examples, compiled and run, so the front page cannot rot.</summary>
public sealed class ReadmeExampleTests
{
    private sealed class Shard
    {
        public volatile bool Pending;
        public int Rebalanced;
        public int Flushed;
        public int TlbFlushes;
        public int Polls;

        public void Rebalance() => Rebalanced++;

        public void FlushTlb() => Interlocked.Increment(ref TlbFlushes);

        public bool IsDirty(int core) => core % 2 == 0;

        public void Flush() => Interlocked.Increment(ref Flushed);

        public void Poll()
        {
            if (Pending)
            {
                Interlocked.Increment(ref Polls);
            }
        }

        public async Task<int> SumAsync()
        {
            await Task.Yield();
            return Rebalanced + Flushed;
        }
    }

    private sealed class Log
    {
        public ConcurrentQueue<string> Pending { get; } = new();
        public List<string> Written { get; } = [];

        public void WriteOutPending()
        {
            while (Pending.TryDequeue(out var line))
            {
                Written.Add(line);
            }
        }
    }

    [Fact]
    public async Task The_usage_example_runs_as_documented()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 4, PinToHardwareCpus = true });

        var shard = new Shard();
        set.Invoke(2, static s => s.Rebalance(), shard);

        set.InvokeMany(null, static (_, s) => s.FlushTlb(), shard);
        set.InvokeOnEach(null, static (core, s) => s.IsDirty(core), static (_, s) => s.Flush(), shard);

        var kick = new CallDescriptor<Shard>(static s => s.Poll(), shard);
        shard.Pending = true;
        _ = set.TryPost(3, kick);

        var total = await set.RunAsync(1, async () => await shard.SumAsync());

        Assert.Equal(1, shard.Rebalanced);
        Assert.Equal(4, shard.TlbFlushes);  // from a thread outside the set: every core
        Assert.Equal(2, shard.Flushed);     // cores 0 and 2
        Assert.Equal(3, total);
        Support.Wait.Until(() => Volatile.Read(ref shard.Polls) == 1);
    }

    [Fact]
    public void The_flush_example_never_loses_a_line()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2 });
        var log = new Log();
        var flush = new DeferredWork<Log>(set, static log => log.WriteOutPending(), log, DeferredWorkOptions.Lazy);

        void Append(string line)
        {
            log.Pending.Enqueue(line);
            flush.Queue();
        }

        var writers = Enumerable.Range(0, 4).Select(w => new Thread(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                Append($"{w}:{i}");
            }
        })).ToArray();
        foreach (var t in writers)
        {
            t.Start();
        }

        foreach (var t in writers)
        {
            t.Join();
        }

        flush.Sync();
        Assert.Equal(40_000, log.Written.Count);
    }
}
