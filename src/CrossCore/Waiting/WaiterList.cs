
namespace CrossCore;

/// <summary>
/// The parkers of threads waiting in <see cref="DeferredWork.Sync"/> for one work item. The runner reads
/// the list's count after clearing Busy and wakes every registered parker; registration and the read of Busy
/// form a Dekker pair (see <see cref="Add"/>).
/// </summary>
internal sealed class WaiterList
{
    // A monitor, not System.Threading.Lock, for two reasons. A Lock allocates its wait event on the managed heap the
    // first time a thread blocks on it (56 bytes per Lock, more the first time in a process), which happens when the
    // runner's WakeAll and a Sync caller's Add or Remove meet and the holder is preempted; P4 forbids any allocation on
    // the deferred work's queue-and-sync path. And the Coyote tests' rewriter controls Monitor but not Lock.
    private readonly object _lock = new();
    private Parker[] _items = new Parker[2];
    private int _count;

    /// <summary>How many waiters are registered (a racy read, made by the runner after its full fence).</summary>
    public int Count => Volatile.Read(ref _count); // acquire; pairs with the Interlocked.Increment in Add

    /// <summary>Registers <paramref name="parker"/>. Full fence: the caller then re-checks its condition.</summary>
    public void Add(Parker parker)
    {
        lock (_lock)
        {
            if (_count == _items.Length)
            {
                Array.Resize(ref _items, _items.Length * 2);
            }

            _items[_count] = parker;
            // Full fence: orders this registration before the waiter's read of the work's Busy bit; pairs with the
            // runner's CAS that clears Busy before it reads Count (DeferredWork.Execute).
            Interlocked.Increment(ref _count);
        }
    }

    /// <summary>Unregisters <paramref name="parker"/>.</summary>
    public void Remove(Parker parker)
    {
        lock (_lock)
        {
            var index = Array.IndexOf(_items, parker, 0, _count);
            if (index >= 0)
            {
                _items[index] = _items[_count - 1];
                _items[_count - 1] = null!;
                Volatile.Write(ref _count, _count - 1); // release; pairs with the runner's read in Count, for which a stale higher count only costs a look
            }
        }
    }

    /// <summary>Wakes every registered waiter that is parked.</summary>
    public void WakeAll()
    {
        lock (_lock)
        {
            for (var i = 0; i < _count; i++)
            {
                _items[i].Wake();
            }
        }
    }
}
