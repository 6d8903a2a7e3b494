using static CrossCore.Coyote.Scenarios.Harness;

namespace CrossCore.Coyote.Scenarios;

/// <summary>Offline / Online racing calls, deferred work and Dispose (C8, C9, §5.4, §6).</summary>
public static class HotplugScenarios
{
    /// <summary>
    /// One thread takes core 1 offline and back; two others send it a waiting call and a deferred work meanwhile.
    /// Checks: each accepted request runs exactly once, on core 1 (a request that passed the online check runs on
    /// the dormant core, §5.4); an Offline answer changed nothing; nothing hangs.
    /// </summary>
    public static void OfflineOnlineRacingACallAndDeferredWork()
    {
        var set = NewSet(2);
        var callRuns = 0;
        var workRuns = 0;
        var work = new DeferredWork<int>(set, _ =>
        {
            Check(set.CurrentCore == 1, $"the work ran on core {set.CurrentCore}, not 1");
            Interlocked.Increment(ref workRuns);
        }, 0, defaultCore: 1);

        var call = CallResult.Offline;
        var queue = QueueResult.Offline;
        var hotplug = Start(() =>
        {
            Check(set.TakeOffline(1) == HotplugResult.Done, "Offline of an online core was not Done");
            Check(set.BringOnline(1) == HotplugResult.Done, "Online of an offline core was not Done");
        });
        var caller = Start(() =>
        {
            try
            {
                set.Invoke(1, () =>
                {
                    Check(set.CurrentCore == 1, $"the call ran on core {set.CurrentCore}, not 1");
                    Interlocked.Increment(ref callRuns);
                });
                call = CallResult.Ok;
            }
            catch (CoreOfflineException)
            {
                call = CallResult.Offline;
            }
        });
        var queuer = Start(() => queue = work.QueueOn(1));
        JoinAll(hotplug, caller, queuer);
        Check(callRuns == (call == CallResult.Ok ? 1 : 0), $"the call answered {call} and ran {callRuns} times");
        set.Dispose();
        Check(workRuns == (queue == QueueResult.Queued ? 1 : 0), $"the work answered {queue} and ran {workRuns} times");
    }

    /// <summary>
    /// Offline of core 1 racing Dispose (§6): every call returns, with a result or ObjectDisposedException; no
    /// thread hangs (a hang is a deadlock Coyote reports).
    /// </summary>
    public static void OfflineRacingDispose()
    {
        var set = NewSet(3);
        var hotplug = Start(() =>
        {
            try
            {
                set.TakeOffline(1);
                set.BringOnline(1);
            }
            catch (ObjectDisposedException)
            {
                // allowed: the set was disposed first
            }
        });
        set.Dispose();
        hotplug.Join();
    }
}
