using CrossCore.Cli.Torture;

namespace CrossCore.Tests.Torture;

/// <summary>
/// The torture's no-wait wake-up check (C1, §5.6): it judges a late return against the release the sender really
/// waited for, its thread's previous use of the posting descriptor (several task-context invokers share a core's
/// thread, so that use may be another invoker's), and tells a sender that slept after the release (a lost wake-up)
/// from one that was awake but not run (starved by the machine).
/// </summary>
public sealed class NoWaitCheckTests
{
    [Fact]
    public void A_no_wait_call_is_judged_by_its_threads_previous_use_of_the_descriptor_even_when_another_invoker_made_it()
    {
        var track = new SenderThread(engine: null, cores: 2, ownCore: -1);

        // Invoker A's post to core 1 (use 1) runs and is released at t = 100.
        Assert.False(track.Begin(1).MayWait);
        track.Claimed(1);
        track.RecordRelease(1, 100);

        // Invoker B, on the same thread, posts to core 1 (use 2); core 1 has not run it yet.
        Assert.False(track.Begin(1).MayWait);
        track.Claimed(1);

        // A posts again: it waits for B's use, not for its own use 1 (what a per-invoker record would judge it by).
        var attempt = track.Begin(1);
        Assert.True(attempt.MayWait);
        Assert.Equal(2, attempt.PreviousUse);
        Assert.False(track.TryGetReleasedAt(1, attempt.PreviousUse, out _)); // not released yet: nothing to judge
        track.RecordRelease(1, 5_000); // B's use released: this is what A waited for
        track.Claimed(1);              // A's post (use 3) queued
        Assert.True(track.TryGetReleasedAt(1, attempt.PreviousUse, out var released));
        Assert.Equal(5_000, released);

        // A's own use 3 released before A looks: use 2's time is still there (two slots per core).
        track.RecordRelease(1, 6_000);
        Assert.True(track.TryGetReleasedAt(1, attempt.PreviousUse, out released));
        Assert.Equal(5_000, released);
        Assert.True(track.TryGetReleasedAt(1, 3, out var third));
        Assert.Equal(6_000, third);
    }

    [Fact]
    public void With_a_ring_of_three_a_post_waits_only_for_the_use_three_posts_earlier()
    {
        var track = new SenderThread(engine: null, cores: 2, ownCore: -1, ringSize: 3);
        for (var use = 1; use <= 3; use++)
        {
            Assert.False(track.Begin(1).MayWait); // a fresh slot: nothing to wait for
            track.Claimed(1);
        }

        // Uses 1..3 queued, none released: the fourth post takes use 1's slot and may wait for use 1 only.
        var attempt = track.Begin(1);
        Assert.True(attempt.MayWait);
        Assert.Equal(1, attempt.PreviousUse);
        track.RecordRelease(1, 100); // use 1
        track.Claimed(1);            // use 4 queued

        // Uses 2, 3 and 4 released before the sender looks: use 1's time is still in the window (R + 1 slots).
        track.RecordRelease(1, 200);
        track.RecordRelease(1, 300);
        track.RecordRelease(1, 400);
        Assert.True(track.TryGetReleasedAt(1, attempt.PreviousUse, out var released));
        Assert.Equal(100, released);

        // Once use 1 is released, the next post's slot (use 2's) is free too: it does not wait.
        Assert.False(track.Begin(1).MayWait);
    }

    [Fact]
    public void A_post_to_the_callers_own_core_uses_no_descriptor_and_never_waits()
    {
        var track = new SenderThread(engine: null, cores: 2, ownCore: 0);
        track.Claimed(0); // ran inline (C6): not a use
        Assert.False(track.Begin(0).MayWait);
        Assert.False(track.TryGetReleasedAt(0, 1, out _));
    }

    [Fact]
    public void A_sleeping_thread_counts_as_asleep_and_a_spinning_one_as_awake()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // the accounting comes from /proc/thread-self/schedstat
        }

        long slept = -1, spunAsleep = -1;
        var thread = new Thread(() =>
        {
            using var sched = ThreadSchedStat.OpenForCurrentThread();
            if (sched is null)
            {
                return; // a kernel without sched_info: the check falls back to the timing alone
            }

            // Asleep for at least 300 ms: most of it must count as sleep (no run time, no run-queue time; a GC pause in
            // between is subtracted, so the bound leaves room for one).
            if (!sched.TryRead(out var a))
            {
                return;
            }

            var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            Thread.Sleep(300);
            _ = sched.TryRead(out var b);
            slept = SchedSample.SleptNs(a, b, (long)System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalNanoseconds);

            // Spinning (running, or runnable when the machine preempts it): none of it may count as sleep beyond the
            // few milliseconds the kernel's run-time total lags for a running thread.
            _ = sched.TryRead(out a);
            t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            while (System.Diagnostics.Stopwatch.GetElapsedTime(t0) < TimeSpan.FromMilliseconds(300))
            {
                Thread.SpinWait(100);
            }

            _ = sched.TryRead(out b);
            spunAsleep = SchedSample.SleptNs(a, b, (long)System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalNanoseconds);
        });
        thread.Start();
        thread.Join();
        if (slept < 0)
        {
            return;
        }

        Assert.True(slept >= 150_000_000, $"a 300 ms sleep counted only {slept / 1_000_000} ms as sleep");
        Assert.True(spunAsleep < 100_000_000, $"a 300 ms spin counted {spunAsleep / 1_000_000} ms as sleep");
    }
}
