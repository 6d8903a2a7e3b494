using CrossCore.Tests.Support;

namespace CrossCore.Tests.Hotplug;

/// <summary>§5.3 under hotplug: 3 senders issue every call kind while a 4th thread toggles random cores 2 000 times.</summary>
public sealed class HotplugStressTests
{
    [Fact]
    public void Section5_3_every_accepted_request_runs_exactly_once_while_cores_flap()
    {
        const int Cores = 3;
        const int Toggles = 2_000;
        using var set = Sets.Create(Cores, poll: TimeSpan.FromMicroseconds(5));
        const int PerSender = 200_000; // a cap: senders go on until the toggler is done (2 000 toggles), at most this many
        var runs = new int[3 * PerSender];
        var accepted = new bool[runs.Length];
        var acceptedCount = 0;
        var sendersDone = 0;
        var togglerDone = 0;
        var errors = new System.Collections.Concurrent.ConcurrentQueue<Exception>();
        var perSender = new int[3];

        var senders = Enumerable.Range(0, 3).Select(s => new Thread(() =>
        {
            var rng = new Random(s);
            var descriptors = Enumerable.Range(0, 8).Select(_ => new CallDescriptor<(int[] Runs, int Id)>(static x => Interlocked.Increment(ref x.Runs[x.Id]), default)).ToArray();
            var works = Enumerable.Range(0, 4).Select(_ => new DeferredWork<int[]>(set, static _ => { }, runs)).ToArray();
            var i = 0;
            try
            {
                while (i < PerSender && Volatile.Read(ref togglerDone) == 0)
                {
                    var id = (s * PerSender) + i++;
                    var core = rng.Next(Cores);
                    var state = (runs, id);
                    var ok = (i % 6) switch
                    {
                        0 => Accepted(() => set.Invoke(core, static x => Interlocked.Increment(ref x.runs[x.id]), state)),
                        1 => Accepted(() => set.Post(core, static x => Interlocked.Increment(ref x.runs[x.id]), state)),
                        2 => QueueAsync(set, descriptors, rng, core, runs, id),
                        3 => Accepted(() => set.InvokeAny(CoreMask.Of(core, (core + 1) % Cores), static (_, x) => Interlocked.Increment(ref x.runs[x.id]), state)),
                        4 => RunTask(set, core, runs, id),
                        _ => Many(set, runs, id),
                    };
                    accepted[id] = ok;
                    if (ok)
                    {
                        Interlocked.Increment(ref acceptedCount);
                    }
                    else
                    {
                        // 7 threads on this 2-CPU machine: a sender spinning on cheap Offline answers would starve the
                        // toggler and the draining cores of CPU time (and so keep cores offline).
                        Thread.Yield();
                    }

                    works[rng.Next(works.Length)].QueueOn(core); // deferred work flapping along (never lost: Sync below)
                }
            }
            catch (Exception ex)
            {
                errors.Enqueue(ex);
            }

            perSender[s] = i;
            Interlocked.Increment(ref sendersDone);
            foreach (var w in works)
            {
                w.Sync();
            }
        })).ToArray();

        var toggler = new Thread(() =>
        {
            var rng = new Random(42);
            for (var t = 0; t < Toggles; t++)
            {
                var core = rng.Next(Cores);
                _ = set.IsOnline(core) ? set.TakeOffline(core) : set.BringOnline(core);

                // Pace by accepted requests, not by time or attempts: an Offline answer costs ~100 ns while a call to
                // a parked core costs a real wake-up, so pacing by attempts keeps cores offline for almost all of them.
                // About 10 accepted per toggle; with every core offline only the next toggle can help, so go on.
                var target = Volatile.Read(ref acceptedCount) + 10;
                while (Volatile.Read(ref acceptedCount) < target && Volatile.Read(ref sendersDone) < 3
                       && Enumerable.Range(0, Cores).Any(set.IsOnline))
                {
                    Thread.Yield();
                }
            }

            Volatile.Write(ref togglerDone, 1);
        });

        foreach (var t in senders)
        {
            t.Start();
        }

        toggler.Start();
        Assert.True(toggler.Join(Wait.HangTimeout), "the toggler hung");
        foreach (var t in senders)
        {
            Assert.True(t.Join(Wait.HangTimeout), "a sender hung");
        }

        Assert.Empty(errors);
        for (var c = 0; c < Cores; c++)
        {
            set.BringOnline(c);
        }

        set.InvokeMany(null, static (_, _) => { }, 0);
        var total = 0;
        for (var s = 0; s < 3; s++)
        {
            for (var i = 0; i < perSender[s]; i++)
            {
                var id = (s * PerSender) + i;
                var expected = accepted[id] ? 1 : 0;
                if (expected == 1)
                {
                    total++;
                    var spin = new SpinWait();
                    var deadline = DateTime.UtcNow + Wait.HangTimeout;
                    while (Volatile.Read(ref runs[id]) == 0 && DateTime.UtcNow < deadline)
                    {
                        spin.SpinOnce();
                    }
                }

                Assert.True(expected == Volatile.Read(ref runs[id]), $"request {id}: accepted={accepted[id]} but ran {runs[id]} times");
            }
        }

        Assert.True(total > 10_000, $"only {total} requests accepted: the stress did too little");
    }

    /// <summary>True if the call was accepted, false if it answered offline (an exception of the waiting/posting shape).</summary>
    private static bool Accepted(Action call)
    {
        try
        {
            call();
            return true;
        }
        catch (CoreOfflineException)
        {
            return false;
        }
    }

    private static bool QueueAsync(CoreSet set, CallDescriptor<(int[] Runs, int Id)>[] descriptors, Random rng, int core, int[] runs, int id)
    {
        while (true)
        {
            switch (set.TryPost(core, descriptors[rng.Next(descriptors.Length)], (runs, id)))
            {
                case CallResult.Ok: return true;
                case CallResult.Offline: return false;
                default: continue; // Busy: try another descriptor
            }
        }
    }

    private static bool RunTask(CoreSet set, int core, int[] runs, int id)
    {
        var task = set.RunAsync(core, () => Interlocked.Increment(ref runs[id]));
        if (task.IsFaulted && task.Exception!.InnerException is CoreOfflineException)
        {
            return false;
        }

        return true;
    }

    private static bool Many(CoreSet set, int[] runs, int id)
    {
        // A many-call to one core: accepted iff that core was online at queue time, which the function records.
        set.InvokeOnEach(CoreMask.Of(id % 3), null, static (_, x) => Interlocked.Increment(ref x.runs[x.id]), (runs, id));
        return Volatile.Read(ref runs[id]) == 1; // wait=true: it ran before we return, or it was skipped
    }
}
