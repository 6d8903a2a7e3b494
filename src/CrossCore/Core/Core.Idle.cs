using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>A core's idle: poll its inbox for the poll duration, then park on its <see cref="Parker"/> (§5.5, O7).</summary>
internal sealed partial class Core
{
    private bool HasLocalWork => Inbox.HasWork || _lists.HasRaised || _lists.HasTasks;

    private bool ShouldWake => HasLocalWork || _stopRequested || !IsOnline || _lists.IsLazyDue;

    /// <summary>Poll for the poll duration (announced, O7), then park until woken or the next tick of lazy work (§5.5, §5.7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private void Idle()
    {
        var deadline = Stopwatch.GetTimestamp() + Set.PollTicks;
        var yield = Set.Oversubscribed;
        Parker.BeginPolling();
        for (var i = Set.PollTicks == 0 ? 64 : 1; ; i++) // PollDuration zero: straight to the deadline check, then park
        {
            if (Inbox.HasWork)
            {
                Parker.SetRunning();
                return;
            }

            if ((i & 63) == 0)
            {
                if (_stopRequested || !IsOnline || Stopwatch.GetTimestamp() >= deadline)
                {
                    break;
                }

                if (yield)
                {
                    Thread.Yield();
                }
            }
            else
            {
                Thread.SpinWait(1);
            }
        }

        Parker.PrepareToPark(); // O7: Parked published with a full fence before the re-check
        if (ShouldWake)
        {
            Parker.CancelPark();
            return;
        }

        Counters.Parks++;
        Parker.Park(_lists.LazyTimeoutMs); // no lazy work: no tick, so a parked core uses no CPU (P6)
    }
}
