using System.Collections.Concurrent;
using Xunit.Abstractions;

namespace CrossCore.Tests.DiagnosticsTests; // not ".Diagnostics": that would shadow CrossCore.Diagnostics in sibling test namespaces

/// <summary>
/// D1: the stuck-call detector. Cores are blocked on purpose; the assertions are about what is reported, never about
/// how fast (waits for reports are bounded only as hang detectors; time checks are lower bounds, which hold on any
/// machine because a report is never made before it is due).
/// </summary>
[Collection(DiagnosticsCollection.Name)]
public sealed class StuckCallTests(ITestOutputHelper output)
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMilliseconds(200);

    private void Show(IEnumerable<StuckCallReport> reports)
    {
        foreach (var report in reports)
        {
            output.WriteLine(report.ToString()); // the default sink's lines, for docs/DIAGNOSTICS.md
        }
    }

    private static CoreSet NewSet(ConcurrentQueue<StuckCallReport> reports, TimeSpan timeout, string what, TimeSpan? poll = null, TimeSpan? failFastAfter = null, int senderLanes = CoreLanes.Count) =>
        new(new CoreSetOptions
        {
            SenderLaneCount = senderLanes,
            CoreCount = 2,
            StuckCallTimeout = timeout,
            FailFastAfter = failFastAfter ?? TimeSpan.Zero,
            PollDuration = poll ?? TimeSpan.FromMicroseconds(50),
            OnStuckCall = reports.Enqueue,
            Name = Diag.UniqueName(what),
        });

    [Theory]
    [InlineData(CoreLanes.Count)] // the default: the outside thread's call takes a lane
    [InlineData(0)] // through the inbox
    public void A_core_blocked_in_the_called_function_makes_the_waiter_report_then_got_unstuck(int senderLanes)
    {
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = NewSet(reports, s_timeout, "this-call", senderLanes: senderLanes);
        using var gate = new HoldGate();
        var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));

        var first = Diag.WaitForReport(reports, r => !r.IsUnstuck, "a stuck-call report");
        Assert.Equal(1, first.Sequence);
        Assert.True(first.Id > 0);
        Assert.Equal(1, first.TargetCore);
        Assert.Equal(-1, first.WaitingCore); // the waiter is a thread outside the set
        Assert.Same(HoldGate.Hold, first.Function);
        Assert.Same(gate, first.State);
        Assert.Equal(TargetActivity.RunningThisCall, first.TargetActivity);
        Assert.False(first.WakeupResent); // the target runs a function: nothing to re-kick
        Assert.Equal(0, first.InboxDepth);
        Assert.Equal(senderLanes != 0, first.ThroughSenderLane);
        Assert.Equal(senderLanes != 0, first.ToString().Contains("called through a sender lane", StringComparison.Ordinal));
        Assert.True(first.Waited >= s_timeout, $"reported after {first.Waited}, before the {s_timeout} timeout");
        Assert.NotNull(first.WaiterStackTrace);
        Assert.Equal(1, set.StuckCallsNow);
        Assert.Contains($"detected stuck call #{first.Id}", first.ToString(), StringComparison.Ordinal);
        Assert.Contains("is running this call", first.ToString(), StringComparison.Ordinal);

        gate.Open();
        Diag.Join(caller, "the released call");

        var unstuck = Diag.WaitForReport(reports, r => r.IsUnstuck, "the got-unstuck report");
        Assert.Equal(first.Id, unstuck.Id);
        Assert.Equal(1, unstuck.TargetCore);
        Assert.Same(HoldGate.Hold, unstuck.Function);
        Assert.True(unstuck.Waited >= first.Waited);
        Assert.Contains($"stuck call #{first.Id} got unstuck", unstuck.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, set.StuckCallsNow);

        // One incident: every report carries its id, repeats count up from 1, and "got unstuck" comes last, once.
        var all = reports.ToArray();
        Assert.All(all, r => Assert.Equal(first.Id, r.Id));
        Assert.Equal(Enumerable.Range(1, all.Length - 1), all.Where(r => !r.IsUnstuck).Select(r => r.Sequence));
        Assert.True(all[^1].IsUnstuck);
        Assert.Single(all, r => r.IsUnstuck);
        Assert.Equal(all.Length - 1, set.GetStatistics().StuckReports);
        Show(all);
    }

    [Fact]
    public void A_call_queued_behind_a_long_function_reports_the_other_function_and_the_inbox_depth()
    {
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = NewSet(reports, s_timeout, "other-function", senderLanes: 0); // the call must wait in the inbox
        using var gate = HoldGate.BlockCore(set, 1);
        Action<int> quick = static _ => { };
        var caller = Diag.OnThread(() => set.Invoke(1, quick, 42));

        var first = Diag.WaitForReport(reports, r => !r.IsUnstuck, "a stuck-call report");
        Assert.Equal(1, first.TargetCore);
        Assert.Same(quick, first.Function);
        Assert.Equal(42, first.State);
        Assert.Equal(TargetActivity.RunningOtherFunction, first.TargetActivity);
        Assert.Same(HoldGate.Hold, first.OtherFunction);
        Assert.Equal(1, first.InboxDepth); // our call waits behind the gate
        // The gate has held longer than the waiter waited (the run record's clock is Environment.TickCount64: allow its granularity).
        Assert.True(first.TargetRunningFor >= s_timeout - TimeSpan.FromMilliseconds(20), $"got {first.TargetRunningFor}");
        Assert.Contains($"is running another function {DiagnosticNames.Of(HoldGate.Hold)} for ", first.ToString(), StringComparison.Ordinal);

        gate.Open();
        Diag.Join(caller, "the queued call");
        var unstuck = Diag.WaitForReport(reports, r => r.IsUnstuck, "the got-unstuck report");
        Assert.Equal(first.Id, unstuck.Id);
    }

    [Fact]
    public void A_parked_target_with_the_call_in_its_inbox_gets_the_wake_up_resent_and_the_call_completes()
    {
        // The lost wake-up the kernel's detector was built for: the call is in the inbox, the core sleeps. We make it
        // happen honestly by pushing without the wake-up (Inbox.Push directly, no Kick) onto a core that is parked.
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = NewSet(reports, s_timeout, "rekick", poll: TimeSpan.Zero);
        var core = set.GetCoreUnchecked(1);
        Diag.Until(() => core.Parker.State == Parker.Parked, "core 1 to park");
        long parks;
        do
        {
            // Parked for a while with no new park: blocked in the kernel object, past its re-check of the inbox.
            parks = Volatile.Read(ref core.Counters.Parks);
            Thread.Sleep(50);
        }
        while (core.Parker.State != Parker.Parked || Volatile.Read(ref core.Counters.Parks) != parks);

        var ran = 0;
        Action<StrongBox> function = static box => Interlocked.Increment(ref box.Value);
        var box = new StrongBox();
        var call = new SyncCall<StrongBox, VoidResult>();
        Diag.Join(Diag.OnThread(() =>
        {
            call.Prepare(CallFunction<StrongBox, VoidResult>.Of(function), box, CoreContext.CurrentParker);
            Assert.Equal(PushResult.WasEmpty, core.Inbox.Push(call)); // no Kick: the wake-up is "lost"
            Waiter.WaitUntil(new SyncCall<StrongBox, VoidResult>.Released(call), set, 1, call);
            ran = box.Value;
        }), "the waiter of the un-kicked call");

        Assert.Equal(1, ran);
        var first = reports.First(r => !r.IsUnstuck);
        Assert.Equal(TargetActivity.Parked, first.TargetActivity);
        Assert.True(first.WakeupResent);
        Assert.Equal(1, first.InboxDepth);
        Assert.Same(function, first.Function);
        Assert.Contains("is parked", first.ToString(), StringComparison.Ordinal);
        Assert.Contains("re-sent the wake-up to core 1", first.ToString(), StringComparison.Ordinal);
        var unstuck = Diag.WaitForReport(reports, r => r.IsUnstuck, "the got-unstuck report");
        Assert.Equal(first.Id, unstuck.Id);
        Show(reports);
    }

    [Fact]
    public void A_waiting_core_under_constant_inbox_traffic_still_reports()
    {
        // Core 0 waits (task context) for a call blocked on core 1 while three senders keep core 0's inbox busy. The
        // waiter drains its inbox as it must (O8), but it must still notice that its own call is stuck. (Waiter.Spin
        // checks its deadline only on iterations that find nothing to drain; this shows that happens under load.)
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = NewSet(reports, s_timeout, "busy-waiter");
        using var gate = HoldGate.BlockCore(set, 1);
        var stop = 0;
        var flooders = Enumerable.Range(0, 3).Select(_ => Diag.OnThread(() =>
        {
            var descriptors = Enumerable.Range(0, 16).Select(_ => new CallDescriptor<int>(static _ => Thread.SpinWait(50), 0)).ToArray();
            for (var i = 0; Volatile.Read(ref stop) == 0; i++)
            {
                set.TryPost(0, descriptors[i & 15]); // Busy answers are fine: the inbox stays full
            }
        })).ToArray();
        var flooder = Task.WhenAll(flooders);
        Action<int> queued = static _ => { };
        var waiting = set.RunAsync(0, () => set.Invoke(1, queued, 0));
        try
        {
            var first = Diag.WaitForReport(reports, r => !r.IsUnstuck, "a report from the busy waiting core");
            Assert.Equal(0, first.WaitingCore);
            Assert.Same(queued, first.Function);
        }
        finally
        {
            gate.Open();
            Volatile.Write(ref stop, 1);
            Diag.Join(flooder, "the flooder");
            Diag.Join(waiting, "the waiting core");
        }
    }

    [Fact]
    public void Repeats_back_off_as_the_kernel_does()
    {
        var reports = new ConcurrentQueue<StuckCallReport>();
        var timeout = TimeSpan.FromMilliseconds(100);
        using var set = NewSet(reports, timeout, "backoff");
        using var gate = new HoldGate();
        var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));

        Diag.Until(() => reports.Count(r => !r.IsUnstuck) >= 4, "four reports");
        gate.Open();
        Diag.Join(caller, "the released call");

        var r = reports.Where(x => !x.IsUnstuck).Take(4).ToArray();
        Assert.Equal([1, 2, 3, 4], r.Select(x => x.Sequence));
        Assert.Equal("continued", r[1].ToString().Split(' ')[1]);

        // 2 cores: factor 1. Gaps after report k: timeout × k, measured from report k (lower bounds only).
        var slack = TimeSpan.FromMilliseconds(1); // TimeSpan rounding of the two waited figures
        Assert.True(r[0].Waited >= timeout);
        for (var k = 1; k <= 3; k++)
        {
            var gap = r[k].Waited - r[k - 1].Waited;
            Assert.True(gap >= (timeout * k) - slack, $"gap after report {k} was {gap}, expected at least {timeout * k}");
        }
    }

    [Theory]
    [InlineData(1, 2, 1)]
    [InlineData(2, 2, 2)]
    [InlineData(3, 2, 3)]
    [InlineData(1, 16, 1)]
    [InlineData(2, 16, 6)] // log2(16)/2 + 1 = 3
    [InlineData(3, 16, 9)]
    [InlineData(2, 1, 2)]
    public void Backoff_is_timeout_times_reports_times_the_kernel_factor(int reportsMade, int cores, long multiple)
    {
        Assert.Equal(1000 * multiple, StuckWait.BackoffTicks(1000, reportsMade, cores));
    }

    [Fact]
    public void Backoff_saturates_instead_of_overflowing()
    {
        Assert.Equal(long.MaxValue, StuckWait.BackoffTicks(long.MaxValue / 2, 3, 4096));
    }

    [Fact]
    public void A_zero_timeout_is_off_and_the_timeout_can_be_turned_on_while_a_call_waits()
    {
        var reports = new ConcurrentQueue<StuckCallReport>();
        using var set = NewSet(reports, TimeSpan.Zero, "runtime-timeout");
        using var gate = new HoldGate();
        var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));
        Diag.Until(() => gate.Entered, "the call to start");

        Thread.Sleep(500); // off: nothing may be reported, however long we wait
        Assert.Empty(reports);

        set.StuckCallTimeout = TimeSpan.FromMilliseconds(100);
        var first = Diag.WaitForReport(reports, r => !r.IsUnstuck, "a report once the timeout is on");
        Assert.Equal(TargetActivity.RunningThisCall, first.TargetActivity);
        Assert.True(first.Waited >= TimeSpan.FromMilliseconds(100));

        gate.Open();
        Diag.Join(caller, "the released call");
        Diag.WaitForReport(reports, r => r.IsUnstuck && r.Id == first.Id, "got unstuck");
    }

    [Fact]
    public void Fail_fast_fires_at_its_own_deadline_even_with_reports_off()
    {
        // The decision is tested through the FailFastHook seam: the real Environment.FailFast would kill the test run.
        var messages = new ConcurrentQueue<string>();
        var reports = new ConcurrentQueue<StuckCallReport>();
        StuckCallDetector.FailFastHook = messages.Enqueue;
        try
        {
            var failFastAfter = TimeSpan.FromMilliseconds(300);
            using var set = NewSet(reports, TimeSpan.Zero, "failfast", failFastAfter: failFastAfter);
            using var gate = new HoldGate();
            var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));

            Diag.Until(() => !messages.IsEmpty, "the fail-fast decision");
            var report = Assert.Single(reports, r => !r.IsUnstuck);
            Assert.True(report.FailingFast);
            Assert.True(report.Waited >= failFastAfter);
            Assert.Equal(TargetActivity.RunningThisCall, report.TargetActivity);
            Assert.Contains("FailFastAfter", messages.First(), StringComparison.Ordinal);
            Assert.Contains($"#{report.Id}", messages.First(), StringComparison.Ordinal);

            gate.Open();
            Diag.Join(caller, "the released call");
            Assert.Single(messages); // once per wait
        }
        finally
        {
            StuckCallDetector.FailFastHook = null;
        }
    }

    [Fact]
    public void The_default_sink_writes_the_report_and_the_waiter_stack_to_stderr()
    {
        var name = Diag.UniqueName("stderr");
        var original = Console.Error;
        using var captured = new StringWriter();
        Console.SetError(TextWriter.Synchronized(captured));
        try
        {
            using var set = new CoreSet(new CoreSetOptions { CoreCount = 2, StuckCallTimeout = s_timeout, Name = name });
            using var gate = new HoldGate();
            var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));
            Diag.Until(() => set.StuckCallsNow == 1, "a stuck call");
            gate.Open();
            Diag.Join(caller, "the released call");
            Diag.Until(() => set.StuckCallsNow == 0, "got unstuck");
        }
        finally
        {
            Console.SetError(original);
        }

        var text = captured.ToString();
        Assert.Contains("crosscore: detected stuck call #", text, StringComparison.Ordinal);
        Assert.Contains("waiter stack:", text, StringComparison.Ordinal);
        Assert.Contains("got unstuck", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_sink_that_throws_does_not_hurt_the_waiter()
    {
        using var set = new CoreSet(new CoreSetOptions
        {
            CoreCount = 2,
            StuckCallTimeout = TimeSpan.FromMilliseconds(50),
            OnStuckCall = static _ => throw new InvalidOperationException("bad sink"),
            Name = Diag.UniqueName("bad-sink"),
        });
        using var gate = new HoldGate();
        var caller = Diag.OnThread(() => set.Invoke(1, HoldGate.Hold, gate));
        Diag.Until(() => set.GetStatistics().StuckReports >= 2, "reports despite the throwing sink");
        gate.Open();
        Diag.Join(caller, "the released call");
        Assert.Null(caller.Exception);
    }

    private sealed class StrongBox
    {
        public int Value;
    }
}
