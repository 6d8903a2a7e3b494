using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// Waits for a release: sync callers, no-wait callers whose previous descriptor is still queued,
/// <see cref="DeferredWork.Sync"/>. The kernel's <c>csd_lock_wait</c> with CSD lock-wait debugging.
/// </summary>
/// <remarks>
/// <para>Spin first, for the set's poll duration, with the parker left Running (a releaser then sends no signal);
/// then park, publishing Parked with a full fence before the final re-check (O7), woken by the release (§5.6). A
/// waiter that is a core keeps draining its own inbox the whole time (O8), so two cores calling each other
/// synchronously never deadlock.</para>
/// <para>While parked the waiter wakes at the stuck-call timeout (D1) and reports; nothing else costs anything
/// while no call is stuck.</para>
/// </remarks>
internal static class Waiter
{
    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">What to wait for.</param>
    /// <param name="set">The set whose options (poll duration, stuck-call timeout) apply.</param>
    /// <param name="targetCore">The core the release will come from (for reports), or -1.</param>
    /// <param name="entry">The entry waited for (for reports), or null.</param>
    public static void WaitUntil<TCondition>(TCondition condition, CoreSet set, int targetCore, InboxEntry? entry)
        where TCondition : struct, IWaitCondition
    {
        if (condition.IsSatisfied)
        {
            return;
        }

        var core = CoreContext.CurrentCore;
        var parker = core?.Parker ?? CoreContext.CurrentParker;

        if (Spin(condition, set, core, parker))
        {
            return;
        }

        Park(condition, set, core, parker, targetCore, entry);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // the sender's spin loop: see docs/PERFORMANCE.md, "Tiering"
    private static bool Spin<TCondition>(TCondition condition, CoreSet set, Core? core, Parker parker)
        where TCondition : struct, IWaitCondition
    {
        // The parker stays Running while we spin: releasers then send no signal (Parker.Wake answers NotNeeded), and
        // we publish Parked with a full fence before we ever block (O7). Not writing the state here saves the
        // releaser a cache-line transfer on every call.
        var yield = set.Oversubscribed;
        long deadline = 0;
        if (set.PollTicks == 0 && core is null)
        {
            return condition.IsSatisfied; // PollDuration zero: park at once (after one look)
        }

        for (var i = 1; ; i++)
        {
            if (condition.IsSatisfied)
            {
                return true;
            }

            if (core is not null && core.HasWaitDrainableWork)
            {
                core.DrainWhileWaiting(); // O8
                continue;
            }

            if ((i & 63) == 0)
            {
                var now = Stopwatch.GetTimestamp();
                if (deadline == 0)
                {
                    deadline = now + set.PollTicks; // read the clock only once the wait is not trivially short
                }
                else if (now >= deadline)
                {
                    return false;
                }

                if (yield)
                {
                    Thread.Yield(); // more cores than CPUs: let the thread we wait for run (§5.5)
                }
            }
            else
            {
                Thread.SpinWait(1);
            }
        }
    }

    private static void Park<TCondition>(TCondition condition, CoreSet set, Core? core, Parker parker, int targetCore, InboxEntry? entry)
        where TCondition : struct, IWaitCondition
    {
        var stuck = new StuckWait(set, targetCore, entry);
        while (true)
        {
            parker.PrepareToPark(); // O7: publishes Parked with a full fence before the re-checks below
            if (condition.IsSatisfied)
            {
                parker.CancelPark();
                break;
            }

            if (core is not null && core.HasWaitDrainableWork)
            {
                parker.CancelPark();
                core.DrainWhileWaiting(); // O8
                stuck.CheckAfterWake(condition.IsSatisfied); // a busy inbox must not hide a stuck call
                continue;
            }

            parker.Park(stuck.ParkTimeoutMs());
            stuck.CheckAfterWake(condition.IsSatisfied);
        }

        stuck.Finish();
    }
}
