using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>A core's idle: poll its inbox for the poll duration, then park on its <see cref="Parker"/> (§5.5, O7).</summary>
internal sealed partial class Core
{
    private bool HasLocalWork => Inbox.HasWork || _lists.HasRaised || _lists.HasTasks || HasLaneWork;

    private bool ShouldWake => HasLocalWork || _stopRequested || !IsOnline || _lists.IsLazyDue;

    /// <summary>Poll for the poll duration (announced, O7), then park until woken or the next tick of lazy work (§5.5, §5.7).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private void Idle()
    {
        var deadline = Stopwatch.GetTimestamp() + Set.PollTicks;
        var yield = Set.Oversubscribed;
        var lanes = Lanes;
        var served = false;
        Parker.BeginPolling();
        for (var i = Set.PollTicks == 0 ? 64 : 1; ; i++) // PollDuration zero: straight to the deadline check, then park
        {
            if (Inbox.HasWork)
            {
                Parker.SetRunning();
                return;
            }

            // A lane call is served here, still Polling: its sender's wake-up check (Parker.Wake) then reads an unchanged
            // line, and a known sender's round trip costs its request line and our reply line only (P1).
            if (lanes.Used != 0 && ServeLanes())
            {
                if (_lists.HasRaised || _lists.HasTasks)
                {
                    Parker.SetRunning(); // the call queued local work: run it in the loop
                    return;
                }

                served = true;
                continue;
            }

            if ((i & 63) == 0)
            {
                if (served)
                {
                    served = false;
                    deadline = Stopwatch.GetTimestamp() + Set.PollTicks; // the poll duration counts from the last work
                }

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
