using CrossCore.Tests.Support;

namespace CrossCore.Tests.Cores;

/// <summary>§5.5, §5.6, O3, O7, P6: polling, parking, wake-ups sent only when needed, none lost.</summary>
public sealed class IdleTests
{
    [Fact]
    public void Section5_5_an_idle_core_polls_then_parks()
    {
        using var set = Sets.Create(2, poll: TimeSpan.FromMilliseconds(1));
        set.Invoke(1, static _ => { }, 0);
        Wait.Until(() => set.GetState(1) == CoreState.Parked, "core 1 to park after its poll duration");
        Assert.True(set.GetStatistics().Parks > 0);
    }

    [Fact]
    public void O7_a_request_to_a_parked_core_sends_a_wake_up_and_one_to_a_polling_core_does_not()
    {
        using (var parked = Sets.Create(2, poll: TimeSpan.Zero))
        {
            Wait.Until(() => parked.GetState(1) == CoreState.Parked);
            var before = parked.GetStatistics();
            parked.Invoke(1, static _ => { }, 0);
            var after = parked.GetStatistics();
            Assert.Equal(before.WakeupsSent + 1, after.WakeupsSent);
        }

        using var polling = Sets.Create(2, poll: TimeSpan.FromSeconds(30)); // polls for the whole test
        polling.Invoke(1, static _ => { }, 0);
        Wait.Until(() => polling.GetState(1) == CoreState.Polling);
        var s0 = polling.GetStatistics();
        for (var i = 0; i < 1000; i++)
        {
            polling.Invoke(1, static _ => { }, 0);
        }

        var s1 = polling.GetStatistics();
        Assert.Equal(s0.WakeupsSent, s1.WakeupsSent); // never a signal to a core that polls or runs
        // Each call found the core polling (avoided) or still running its previous batch (nothing needed).
        Assert.InRange(s1.WakeupsAvoided - s0.WakeupsAvoided, 1, 1000);
    }

    [Fact]
    public void O7_no_wake_up_is_lost_when_every_request_races_a_core_going_to_park()
    {
        // PollDuration 0: the core parks right after every batch, so pushes race the park handshake constantly.
        // A lost wake-up shows up as a hang (the Wait helpers turn it into a failure).
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        var ran = new long[1];
        var senders = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 50_000; i++)
            {
                if ((i & 7) == 0)
                {
                    set.Invoke(1, static r => Interlocked.Increment(ref r[0]), ran);
                }
                else
                {
                    set.Post(1, static r => Interlocked.Increment(ref r[0]), ran);
                }
            }
        })).ToArray();
        foreach (var t in senders)
        {
            t.Start();
        }

        foreach (var t in senders)
        {
            Assert.True(t.Join(Wait.HangTimeout), "a sender hung: a wake-up was lost");
        }

        Wait.Until(() => Volatile.Read(ref ran[0]) == 100_000, "every call to run");
        var stats = set.GetStatistics();
        Assert.True(stats.WakeupsSent > 0);
    }

    [Fact]
    public void P5_a_burst_into_a_busy_core_is_one_batch_with_at_most_one_wake_up()
    {
        using var set = Sets.Create(2, poll: TimeSpan.Zero);
        using var gate = Gate.BlockCore(set, 1);
        var before = set.GetStatistics();
        var ran = new long[1];
        // Distinct descriptors: no-wait CallSingle would reuse this thread's one descriptor and wait for it (C1).
        var burst = Enumerable.Range(0, 1000).Select(_ => new CallDescriptor<long[]>(static r => Interlocked.Increment(ref r[0]), ran)).ToArray();
        foreach (var d in burst)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, d));
        }

        gate.Open();
        Wait.Until(() => Volatile.Read(ref ran[0]) == 1000, "the burst to run"); // (a sync call would run first, §5.1)
        var after = set.GetStatistics();
        Assert.True(after.WakeupsSent - before.WakeupsSent <= 2, $"{after.WakeupsSent - before.WakeupsSent} wake-ups for one burst");
        Assert.True(after.MaxBatch >= 1000);
    }

    [Fact]
    public void C10_pinning_puts_core_i_on_hardware_cpu_i_mod_N_on_Linux_and_reports_why_not_elsewhere()
    {
        using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, PinToHardwareCpus = true });
        for (var i = 0; i < 2; i++)
        {
            var info = set.GetCoreInfo(i);
            if (OperatingSystem.IsLinux())
            {
                Assert.True(info.IsPinned, info.PinningError);
                Assert.Equal(i % Environment.ProcessorCount, info.HardwareCpu);
                var cpu = set.RunAsync(i, Affinity.CurrentCpu);
                Wait.For(cpu);
                Assert.Equal(info.HardwareCpu, cpu.Result);
            }
            else
            {
                Assert.False(info.IsPinned);
                Assert.NotNull(info.PinningError);
            }
        }
    }

    [Fact]
    public void C10_cores_pinned_to_the_same_hardware_cpu_say_so_and_cores_alone_on_theirs_do_not()
    {
        // Cores 0 and 1 on CPU 0, core 2 alone on the last CPU; then the default placement with more cores than CPUs.
        var last = Environment.ProcessorCount - 1;
        using (var set = new CoreSet(new CoreSetOptions { CoreCount = 3, PinToHardwareCpus = true, HardwareCpus = [0, 0, last] }))
        {
            var infos = Enumerable.Range(0, 3).Select(set.GetCoreInfo).ToArray();
            if (!OperatingSystem.IsLinux())
            {
                Assert.All(infos, i => Assert.False(i.SharesHardwareCpu)); // nothing pinned, nothing shared
                return;
            }

            Assert.True(infos[0].SharesHardwareCpu);
            Assert.True(infos[1].SharesHardwareCpu);
            Assert.Contains("shares hardware CPU 0", infos[1].PinningWarning, StringComparison.Ordinal);
            Assert.Equal(last == 0, infos[2].SharesHardwareCpu);
            Assert.All(infos, i => Assert.True(i.IsPinned, i.PinningError));
        }

        using (var set = new CoreSet(new CoreSetOptions { CoreCount = Environment.ProcessorCount + 1, PinToHardwareCpus = true }))
        {
            // Core N wraps to CPU 0, which core 0 has: both say so; with 2 CPUs or more, core 1 is alone on CPU 1.
            Assert.True(set.GetCoreInfo(0).SharesHardwareCpu);
            Assert.True(set.GetCoreInfo(Environment.ProcessorCount).SharesHardwareCpu);
            if (Environment.ProcessorCount >= 2)
            {
                Assert.False(set.GetCoreInfo(1).SharesHardwareCpu);
                Assert.Null(set.GetCoreInfo(1).PinningWarning);
            }
        }

        using (var unpinned = new CoreSet(new CoreSetOptions { CoreCount = Environment.ProcessorCount + 1 }))
        {
            Assert.False(unpinned.GetCoreInfo(0).SharesHardwareCpu); // not pinned: the scheduler places them
        }
    }
}
