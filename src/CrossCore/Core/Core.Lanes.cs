using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A core's side of its lanes (<see cref="CoreLanes"/>): the scan that serves the waiting calls of known senders, first
/// in every round of handler work (they are sync calls, §5.1) and inside the idle poll itself, where serving one
/// leaves the idle state untouched, so a sender's wake-up check reads a line that did not change.
/// </summary>
internal sealed partial class Core
{
    /// <summary>This core's lanes.</summary>
    public CoreLanes Lanes { get; }

    // ---- owned by the core thread ----
    private bool _lanesClosed; // this thread closed its lanes (FinalDrain): every take is contested from then on

    /// <summary>True if a lane holds a request this core has not served (a racy poll; the park re-check runs it after its fence).</summary>
    private bool HasLaneWork
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get
        {
            var lanes = Lanes;
            for (int i = 0, used = lanes.Used; i < used; i++)
            {
                if (lanes.Slot(i) is { IsRequested: true })
                {
                    return true;
                }
            }

            return false;
        }
    }

    /// <summary>Serves every pending lane request, in slot order. Returns true if it ran any.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private bool ServeLanes()
    {
        var lanes = Lanes;
        var served = false;
        for (int i = 0, used = lanes.Used; i < used; i++)
        {
            var call = lanes.Slot(i);
            if (call is null || !call.IsRequested || (_lanesClosed && !call.TryTakeContested()))
            {
                continue;
            }

            if (!served)
            {
                _run.MarkStart();
                served = true;
            }

            RunClaimed(call); // its Next is always null: a lane call is never linked (and its line stays the owner's)
            Counters.SyncRun++;
            Counters.LaneRun++;
        }

        return served;
    }

    /// <summary>Closes the lanes before the inbox (dispose): pending requests are then taken by a CAS their owners contest (C9).</summary>
    private void CloseLanes()
    {
        _lanesClosed = true;
        Lanes.Close();
    }
}
