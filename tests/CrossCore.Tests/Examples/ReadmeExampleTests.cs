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

        public int Probes;

        public void Rebalance() => Rebalanced++;

        public void FlushTlb(int core) => Interlocked.Increment(ref TlbFlushes);

        [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The README's example calls it on the shard (s.IsDirty(core)).")]
        public bool IsDirty(int core) => core % 2 == 0;

        public void Flush(int core) => Interlocked.Increment(ref Flushed);

        public void Probe(int core) => Interlocked.Increment(ref Probes);

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
    public async Task The_key_value_store_example_gets_and_sets_through_the_owning_cores()
    {
        await using var store = new KvStore(4);
        for (var i = 0; i < 1_000; i++)
        {
            await store.SetAsync($"key{i}", $"value{i}");
        }

        Assert.Equal("value7", store.Get("key7"));
        Assert.Equal("value999", await store.GetAsync("key999"));
        Assert.Null(store.Get("missing"));
        Assert.Equal(1_000, store.Count());
    }

    [Fact]
    public async Task The_usage_examples_run_as_documented()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 4, PinToHardwareCpus = true });
        var shard = new Shard();

        set.Post(2, static s => s.Rebalance(), shard);

        var kick = new CallDescriptor<Shard>(static s => s.Poll(), shard);
        shard.Pending = true;
        _ = set.TryPost(3, kick);

        var ran = new CoreMask();
        int n = set.InvokeMany(null, static (core, s) => s.FlushTlb(core), shard, ran);
        set.InvokeOnEach(null, static (core, s) => s.IsDirty(core), static (core, s) => s.Flush(core), shard);
        int chosen = set.InvokeAny(CoreMask.Of(1, 2), static (core, s) => s.Probe(core), shard);

        var total = await set.RunAsync(1, static async s => await s.SumAsync(), shard);
        var onCore2 = new TaskFactory(set.GetTaskScheduler(2));
        Assert.Equal(2, await onCore2.StartNew(() => set.CurrentCore));
        await set.TakeOfflineAsync(3);
        Assert.Equal(HotplugResult.Done, set.BringOnline(3));

        Assert.Equal(4, n);                  // from a thread outside the set: every core
        Assert.Equal([0, 1, 2, 3], ran.ToArray());
        Assert.Equal(4, shard.TlbFlushes);
        Assert.Equal(2, shard.Flushed);      // cores 0 and 2
        Assert.InRange(chosen, 1, 2);
        Assert.Equal(1, shard.Probes);
        // The post to core 2 ran no later than the batch of InvokeMany's call there, which ended before core 2 took the
        // batch with InvokeOnEach's call: so it ran before SumAsync read it.
        Assert.Equal(1, shard.Rebalanced);
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
