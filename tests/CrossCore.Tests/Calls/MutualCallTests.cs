using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>O8: a core waiting for a sync call keeps draining its own inbox, so cores calling each other never deadlock.</summary>
public sealed class MutualCallTests
{
    [Theory]
    [InlineData(2)] // A <-> B
    [InlineData(3)] // A -> B -> C -> A
    public void O8_cores_calling_each_other_synchronously_never_deadlock(int cores)
    {
        // 5 000 crossed calls per core: a deadlock shows within the first few (every call crosses another), and with more
        // cores than CPUs under load each call may park, so 20 000 took 59–91 s of the hang bound's 120 s.
        const int Calls = 5_000;
        using var set = Sets.Create(cores, poll: TimeSpan.FromMicroseconds(2));
        var counts = new int[cores];
        var tasks = Enumerable.Range(0, cores).Select(me => set.RunAsync(me, () =>
        {
            var next = (me + 1) % cores;
            for (var i = 0; i < Calls; i++)
            {
                // While this core waits for `next`, `next` (or the one before us) is waiting for us.
                set.Invoke(next, static s => s.counts[s.next]++, (counts, next));
            }
        })).ToArray();
        Wait.For(Task.WhenAll(tasks), "mutual sync calls");
        Assert.All(counts, c => Assert.Equal(Calls, c));
    }

    [Fact]
    public void O8_a_core_waiting_on_a_many_call_serves_a_many_call_aimed_at_it()
    {
        using var set = Sets.Create(3, poll: TimeSpan.Zero);
        var hits = new int[3];
        var tasks = Enumerable.Range(0, 3).Select(me => set.RunAsync(me, () =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                set.InvokeMany(null, static (_, s) => Interlocked.Increment(ref s[0]), hits); // every other core, waiting
            }
        })).ToArray();
        Wait.For(Task.WhenAll(tasks), "crossed many-calls");
        Assert.Equal(3 * 2 * 2_000, hits[0]);
    }
}
