
namespace CrossCore;

public sealed partial class CoreSet
{
    /// <summary>
    /// Takes <paramref name="core"/> out of service (the kernel's CPU hotplug teardown) and waits until it has drained
    /// everything accepted before: its inbox, its deferred work and its queued task-context work, each run exactly once
    /// on that core. From then on calls to it throw <see cref="CoreOfflineException"/>, <c>TryPost</c> and
    /// <c>QueueOn</c> answer Offline, and many-calls skip it. A caller waiting on a call to it is released, because its
    /// call ran during the drain.
    /// </summary>
    /// <param name="core">The core's id.</param>
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
    public HotplugResult TakeOffline(int core)
    {
        var (result, transition) = BeginOffline(core, CoreContext.CurrentParker);
        if (result == HotplugResult.Done)
        {
            // Waits like a sync caller: a core doing this keeps draining its own inbox (O8).
            Waiter.WaitUntil(new OfflineTransition.Completed(transition!), this, core, null);
        }

        return result;
    }

    /// <summary>
    /// As <see cref="TakeOffline(int)"/> without blocking a thread: the task completes when the core has drained. Also
    /// allowed from the core's own task context (the core drains once the current work yields; the task then
    /// completes with <see cref="HotplugResult.Done"/>).
    /// </summary>
    /// <param name="core">The core's id.</param>
    /// <returns>A task of <see cref="HotplugResult.Done"/> or <see cref="HotplugResult.AlreadyInState"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public async Task<HotplugResult> TakeOfflineAsync(int core)
    {
        var (result, transition) = BeginOffline(core, null);
        if (transition is not null)
        {
            await transition.Task.ConfigureAwait(false);
        }

        return result == HotplugResult.Pending ? HotplugResult.Done : result;
    }

    /// <summary>
    /// Brings <paramref name="core"/> back into service with the same id, thread and pinning. It never waits for the
    /// core (it only flips the state and wakes it), so it has no asynchronous form.
    /// </summary>
    /// <param name="core">The core's id.</param>
    /// <returns><see cref="HotplugResult.Done"/>, or <see cref="HotplugResult.AlreadyInState"/> if it was online.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    /// <exception cref="ObjectDisposedException">The set was disposed.</exception>
    public HotplugResult BringOnline(int core)
    {
        var target = GetCore(core);
        CoreContext.ThrowIfHandler(nameof(BringOnline));
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

    private (HotplugResult Result, OfflineTransition? Transition) BeginOffline(int core, Parker? waiter)
    {
        var target = GetCore(core);
        CoreContext.ThrowIfHandler(nameof(TakeOffline));
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
