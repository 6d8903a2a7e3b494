using System.Diagnostics;

namespace CrossCore;

/// <summary>
/// A core's own work lists, touched only by its thread (no synchronization): the task queue (task-context work moved
/// out of a batch, C5), the raised deferred list (the kernel's <c>raised_list</c>) and the lazy deferred list with its
/// tick deadline (<c>lazy_list</c>, §5.7). Intrusive FIFO lists linked through <see cref="InboxEntry.Next"/>.
/// </summary>
/// <remarks>A mutable struct held in a field of its core and only ever used through that field (never copied).</remarks>
internal struct CoreWorkLists
{
    private InboxEntry? _taskHead;
    private InboxEntry? _taskTail;
    private DeferredEntry? _raisedHead;
    private DeferredEntry? _raisedTail;
    private DeferredEntry? _lazyHead;
    private DeferredEntry? _lazyTail;
    private long _lazyDeadline;

    /// <summary>Task-context work is queued.</summary>
    public readonly bool HasTasks => _taskHead is not null;

    /// <summary>Raised deferred work is queued.</summary>
    public readonly bool HasRaised => _raisedHead is not null;

    /// <summary>Lazy deferred work is queued (due or not).</summary>
    public readonly bool HasLazy => _lazyHead is not null;

    /// <summary>Lazy work is queued and its tick has come.</summary>
    public readonly bool IsLazyDue => _lazyHead is not null && Stopwatch.GetTimestamp() >= _lazyDeadline;

    /// <summary>How long a parked core may sleep before its lazy work is due, in ms (-1: no lazy work, no tick, P6).</summary>
    public readonly int LazyTimeoutMs
    {
        get
        {
            if (_lazyHead is null)
            {
                return Timeout.Infinite;
            }

            var remaining = _lazyDeadline - Stopwatch.GetTimestamp();
            return remaining <= 0 ? 0 : (int)((remaining * 1000 / Stopwatch.Frequency) + 1);
        }
    }

    /// <summary>Queues task-context work.</summary>
    public void AddTask(InboxEntry work)
    {
        work.Next = null;
        if (_taskTail is null)
        {
            _taskHead = work;
        }
        else
        {
            _taskTail.Next = work;
        }

        _taskTail = work;
    }

    /// <summary>Takes the whole task queue (FIFO chain), or null.</summary>
    public InboxEntry? TakeTasks()
    {
        var work = _taskHead;
        _taskHead = null;
        _taskTail = null;
        return work;
    }

    /// <summary>Queues raised deferred work (runs at the core's next look at its work).</summary>
    public void AddRaised(DeferredEntry work)
    {
        work.Next = null;
        Append(ref _raisedHead, ref _raisedTail, work);
    }

    /// <summary>Queues lazy deferred work; the first one starts the tick (<paramref name="tickTicks"/> from now).</summary>
    public void AddLazy(DeferredEntry work, long tickTicks)
    {
        work.Next = null;
        if (_lazyHead is null)
        {
            _lazyDeadline = Stopwatch.GetTimestamp() + tickTicks;
        }

        Append(ref _lazyHead, ref _lazyTail, work);
    }

    /// <summary>Takes the raised list (FIFO chain), or null.</summary>
    public DeferredEntry? TakeRaised() => Take(ref _raisedHead, ref _raisedTail);

    /// <summary>Takes the lazy list (FIFO chain), due or not, and stops the tick; or null.</summary>
    public DeferredEntry? TakeLazy()
    {
        _lazyDeadline = 0;
        return Take(ref _lazyHead, ref _lazyTail);
    }

    private static void Append(ref DeferredEntry? head, ref DeferredEntry? tail, DeferredEntry work)
    {
        if (tail is null)
        {
            head = work;
        }
        else
        {
            tail.Next = work;
        }

        tail = work;
    }

    private static DeferredEntry? Take(ref DeferredEntry? head, ref DeferredEntry? tail)
    {
        var work = head;
        head = null;
        tail = null;
        return work;
    }
}
