
namespace CrossCore;

/// <summary>
/// One offline transition of a core: the core completes it once it has drained everything accepted before. The
/// offlining thread waits with a <see cref="Waiter"/>, so a core that offlines another keeps serving its own inbox
/// meanwhile (O8): a task on the dying core may call it synchronously while it drains.
/// </summary>
internal sealed class OfflineTransition
{
    private readonly Parker? _waiter;
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _complete;

    public OfflineTransition(Parker? waiter) => _waiter = waiter;

    /// <summary>Completes when the transition does.</summary>
    public Task Task => _done.Task;

    /// <summary>True once the core drained (or was brought back online first).</summary>
    public bool IsComplete => Volatile.Read(ref _complete) != 0; // acquire; pairs with the Exchange in Complete

    /// <summary>Marks the transition complete and wakes its waiter. Idempotent.</summary>
    public void Complete()
    {
        // Full fence: publishes the flag (release for IsComplete) and orders it before the read of the waiter's park
        // state in Parker.Wake (O7; pairs with Parker.PrepareToPark's Exchange on the waiter's side).
        if (Interlocked.Exchange(ref _complete, 1) == 0)
        {
            _waiter?.Wake();
            _done.TrySetResult();
        }
    }

    /// <summary>Wait condition: the transition completed.</summary>
    public readonly struct Completed(OfflineTransition transition) : IWaitCondition
    {
        public bool IsSatisfied => transition.IsComplete;
    }
}
