using CrossCore.Tests.Support;

namespace CrossCore.Tests.Deferred;

/// <summary>C7: IsBusy and Sync() are exact when two runs of one work overlap on two cores.</summary>
public sealed class DeferredWorkExactSyncTests
{
    /// <summary>Disposing opens the gate: a failed assertion must not leave core 1 held (the set's Dispose would wait for it).</summary>
    private sealed class Probe : IDisposable
    {
        public readonly Gate FirstRun = new();
        public int Started;
        public int Finished;
        public volatile bool FirstFinished;

        public void Dispose() => FirstRun.Dispose();
    }

    [Fact]
    public void C7_a_second_run_finishing_on_another_core_leaves_the_work_busy_until_the_first_run_ends()
    {
        using var set = Sets.Create(3, poll: TimeSpan.Zero);
        using var probe = new Probe();
        var work = new DeferredWork<Probe>(set, static p =>
        {
            if (Interlocked.Increment(ref p.Started) == 1)
            {
                p.FirstRun.Hold(); // run 1 blocks on core 1 until the test opens the gate
                p.FirstFinished = true;
            }

            Interlocked.Increment(ref p.Finished);
        }, probe);

        Run(set, probe, work);
    }

    private static void Run(CoreSet set, Probe probe, DeferredWork<Probe> work)
    {
        Assert.Equal(QueueResult.Queued, work.QueueOn(1));
        Wait.Until(() => probe.FirstRun.Entered, "run 1 to start on core 1");
        Assert.Equal(QueueResult.Queued, work.QueueOn(2)); // busy, not pending: the claim succeeds (C7)
        Wait.Until(() => Volatile.Read(ref probe.Finished) == 1, "run 2 to finish on core 2");

        // Run 2's function has returned; its busy-clear comes right after, in the same Execute. A waiting call to core
        // 2 is detached in a later batch, so once it returns, core 2 has finished all of run 2.
        set.Invoke(2, static _ => { }, 0);

        Assert.True(work.IsBusy, "run 1 still runs on core 1, yet IsBusy says the work is not busy");
        Assert.False(work.IsPending);

        var syncSawFirstFinished = false;
        var syncer = new Thread(() =>
        {
            work.Sync();
            syncSawFirstFinished = probe.FirstFinished;
        }) { IsBackground = true };
        syncer.Start();

        // Open the gate only once Sync has either returned (the bug) or registered as a waiter (it then must wait).
        Wait.Until(() => !syncer.IsAlive || work.SyncWaiterCount != 0, "Sync to return or to wait");
        probe.FirstRun.Open();
        Assert.True(syncer.Join(Wait.HangTimeout), "Sync never returned after run 1 ended");
        Assert.True(syncSawFirstFinished, "Sync returned while run 1 was still running on core 1");
        Assert.False(work.IsBusy);
        Assert.Equal(2, Volatile.Read(ref probe.Finished));
    }
}
