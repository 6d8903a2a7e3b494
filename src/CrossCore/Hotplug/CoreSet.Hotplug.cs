using CrossCore.Calls;
using CrossCore.Cores;
using CrossCore.Hotplug;

namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Takes <paramref name="core"/> out of service (C8; the kernel's CPU hotplug teardown). Returns once the core has
    /// drained everything accepted before: its inbox, its raised and lazy deferred work and its queued task-context
    /// work, each run exactly once on that core. From then on single, async, any and QueueOn requests to it answer
    /// Offline and masked calls skip it. A waiter blocked on a call to it is released because its call ran during the
    /// drain.
    /// </summary>
    /// <returns><see cref="HotplugResult.Done"/>; <see cref="HotplugResult.AlreadyInState"/> if it was offline;
    /// <see cref="HotplugResult.Pending"/> when a core takes itself offline from its own task context (it cannot wait
    /// for itself: it drains as soon as the current task item returns).</returns>
    /// <remarks>Callable from any thread outside the set and from task context on any core. Offline and Online of one
    /// core serialize. An offline core's thread stays parked and uses no CPU. An Offline that races
    /// <see cref="Dispose"/> returns <see cref="HotplugResult.Done"/> once the core has drained and stopped; one that
    /// starts after Dispose throws <see cref="ObjectDisposedException"/>.</remarks>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public HotplugResult Offline(int core)
    {
        var (result, transition) = BeginOffline(core, CoreContext.CurrentParker);
        if (result == HotplugResult.Done)
        {
            // Waits like a sync caller: a core doing this keeps draining its own inbox (O8).
            Waiter.WaitUntil(new OfflineTransition.Completed(transition!), this, core, null);
        }

        return result;
    }

    /// <summary>As <see cref="Offline(int)"/>, completing when the core has drained (also when called from the core itself).</summary>
    public async Task<HotplugResult> OfflineAsync(int core)
    {
        var (result, transition) = BeginOffline(core, null);
        if (transition is not null)
        {
            await transition.Task.ConfigureAwait(false);
        }

        return result == HotplugResult.Pending ? HotplugResult.Done : result;
    }

    /// <summary>Brings <paramref name="core"/> back into service with the same id and pinning (C8).</summary>
    /// <returns><see cref="HotplugResult.Done"/>, or <see cref="HotplugResult.AlreadyInState"/> if it was online.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public HotplugResult Online(int core)
    {
        var target = GetCore(core);
        CoreContext.ThrowIfHandler(nameof(Online));
        lock (target.HotplugLock)
        {
            if (target.IsOnline)
            {
                return HotplugResult.AlreadyInState;
            }

            target.BeginOnline();
            Telemetry.Hotplug(target, online: true);
            return HotplugResult.Done;
        }
    }

    /// <summary>As <see cref="Online(int)"/>, for symmetry with <see cref="OfflineAsync"/>.</summary>
    public Task<HotplugResult> OnlineAsync(int core) => Task.FromResult(Online(core));

    private (HotplugResult Result, OfflineTransition? Transition) BeginOffline(int core, Parker? waiter)
    {
        var target = GetCore(core);
        CoreContext.ThrowIfHandler(nameof(Offline));
        OfflineTransition transition;
        lock (target.HotplugLock)
        {
            if (!target.IsOnline)
            {
                return (HotplugResult.AlreadyInState, null);
            }

            transition = target.BeginOffline(waiter);
            Telemetry.Hotplug(target, online: false);
        }

        // The wait happens outside the lock, so a task on the draining core may itself call Online/Offline. If Online
        // wins the race, it completes this transition: the core serves again and nothing accepted was lost. A core
        // taking itself offline cannot wait for its own drain.
        return target.IsCurrentThread ? (HotplugResult.Pending, transition) : (HotplugResult.Done, transition);
    }
}
