using CrossCore.Tests.Support;

namespace CrossCore.Tests.Calls;

/// <summary>C9: dispose runs everything already accepted, releases every waiter, stops the threads.</summary>
public sealed class DisposeTests
{
    [Fact]
    public void C9_dispose_with_queued_work_runs_all_of_it_and_releases_waiters()
    {
        var set = Sets.Create(2);
        using var gate = Gate.BlockCore(set, 1);
        var ran = new int[4];
        var descriptors = Enumerable.Range(0, 500).Select(_ => new CallDescriptor<int[]>(static r => Interlocked.Increment(ref r[0]), ran)).ToArray();
        foreach (var d in descriptors)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, d));
        }

        var works = Enumerable.Range(0, 100).Select(i => new DeferredWork<int[]>(set, static r => Interlocked.Increment(ref r[1]), ran, i % 2 == 0 ? DeferredWorkOptions.Lazy : DeferredWorkOptions.None)).ToArray();
        foreach (var w in works)
        {
            Assert.Equal(QueueResult.Queued, w.QueueOn(1));
        }

        var task = set.RunAsync(1, () => Interlocked.Increment(ref ran[2]));
        var waiter = new Thread(() => set.Invoke(1, static r => Interlocked.Increment(ref r[3]), ran));
        waiter.Start();
        Wait.Until(() => set.GetCoreUnchecked(1).ApproximateInboxDepth() == 602, "everything queued");

        var disposer = new Thread(set.Dispose);
        disposer.Start();
        Wait.Until(() => set.IsDisposed);
        gate.Open();
        Assert.True(disposer.Join(Wait.HangTimeout), "dispose hung");
        Assert.True(waiter.Join(Wait.HangTimeout), "a waiter was not released");
        Assert.Equal([500, 100, 1, 1], ran);
        Assert.True(task.IsCompletedSuccessfully);
        Assert.All(descriptors, d => Assert.False(d.IsInFlight));
        Assert.All(works, w => Assert.False(w.IsBusy));
    }

    [Fact]
    public void C9_requests_racing_with_dispose_either_run_or_throw_ObjectDisposed_and_none_is_lost()
    {
        for (var round = 0; round < 20; round++)
        {
            var set = Sets.Create(2, poll: TimeSpan.Zero);
            long ran = 0;
            var runs = new long[1];
            using var start = new Barrier(3);
            var senders = Enumerable.Range(0, 2).Select(s => new Thread(() =>
            {
                long accepted = 0;
                start.SignalAndWait();
                for (var i = 0; ; i++)
                {
                    try
                    {
                        if ((i & 1) == 0)
                        {
                            set.Invoke(i % 2, static r => Interlocked.Increment(ref r[0]), runs);
                        }
                        else
                        {
                            set.Post(i % 2, static r => Interlocked.Increment(ref r[0]), runs);
                        }

                        accepted++;
                    }
                    catch (ObjectDisposedException)
                    {
                        break;
                    }
                }

                Interlocked.Add(ref ran, accepted);
            })).ToArray();
            foreach (var t in senders)
            {
                t.Start();
            }

            start.SignalAndWait();
            Thread.Sleep(round % 5); // dispose at varying points
            set.Dispose();
            foreach (var t in senders)
            {
                Assert.True(t.Join(Wait.HangTimeout));
            }

            Assert.Equal(Volatile.Read(ref ran), Volatile.Read(ref runs[0])); // every accepted call ran, once
        }
    }
}
