using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>§5.3, O2, O3: every accepted request runs exactly once, under many producers (bounded by iterations).</summary>
public sealed class ExactlyOnceStressTests
{
    [Fact]
    public void Section5_3_four_producers_times_100_000_calls_each_run_exactly_once()
    {
        const int Producers = 4;
        const int PerProducer = 100_000;
        using var set = Sets.Create(2, poll: TimeSpan.FromMicroseconds(5)); // short polls: the parked path gets its share
        var runs = new int[Producers * PerProducer];

        var threads = Enumerable.Range(0, Producers).Select(p => new Thread(() =>
        {
            // Each producer owns a few descriptors and cycles them; a Busy answer means "try the next one".
            var descriptors = Enumerable.Range(0, 8).Select(_ => new Slot()).ToArray();
            var rng = new Random(p);
            for (var i = 0; i < PerProducer; i++)
            {
                var id = (p * PerProducer) + i;
                var core = rng.Next(2);
                switch (i % 3)
                {
                    case 0:
                        set.Post(core, static s => Interlocked.Increment(ref s.runs[s.id]), (runs, id));
                        break;
                    case 1:
                        set.Invoke(core, static s => Interlocked.Increment(ref s.runs[s.id]), (runs, id));
                        break;
                    default:
                        while (true)
                        {
                            var slot = descriptors[rng.Next(descriptors.Length)];
                            if (slot.TryQueue(set, core, runs, id))
                            {
                                break;
                            }
                        }

                        break;
                }
            }
        })).ToArray();
        foreach (var t in threads)
        {
            t.Start();
        }

        foreach (var t in threads)
        {
            Assert.True(t.Join(Wait.HangTimeout), "a producer hung");
        }

        set.InvokeMany(null, static (_, _) => { }, 0); // everything queued before has been dequeued and run... (FIFO per core)
        Wait.Until(() => runs.All(r => r != 0), "every request to run");
        Assert.All(runs, r => Assert.Equal(1, r));
        var stats = set.GetStatistics();
        Assert.True(stats.WakeupsAvoided + stats.WakeupsSent > 0);
    }

    /// <summary>A reusable descriptor; the request id travels as per-use state, written only under the claim.</summary>
    private sealed class Slot
    {
        private static readonly Action<(int[] Runs, int Id)> s_run = static s => Interlocked.Increment(ref s.Runs[s.Id]);
        private readonly CallDescriptor<(int[] Runs, int Id)> _descriptor = new(s_run, default);

        public bool TryQueue(CoreSet set, int core, int[] runs, int id) =>
            set.TryPost(core, _descriptor, (runs, id)) switch
            {
                CallResult.Ok => true,
                CallResult.Busy => false, // still in flight: nothing changed, try another slot
                var other => throw new InvalidOperationException($"unexpected {other}"),
            };
    }
}
