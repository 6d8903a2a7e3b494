namespace CrossCore.Cli.Torture;

/// <summary>
/// An invoker's free records: a private list for the owner, plus a lock-free stack that any thread (a core finishing
/// a no-wait request) pushes onto. The owner takes the whole stack at once (an exchange), so there is no ABA problem,
/// as with the runtime's inboxes.
/// </summary>
internal sealed class RequestPool
{
    private readonly InvokerContext _owner;
    private readonly int _words;
    private readonly List<Request> _all = [];
    private Request? _local;
    private Request? _shared;

    public RequestPool(InvokerContext owner, int words)
    {
        _owner = owner;
        _words = words;
    }

    /// <summary>Every record this pool ever made (for the end-of-run audit).</summary>
    public IReadOnlyList<Request> All => _all;

    public Request Take()
    {
        var r = _local;
        if (r is null)
        {
            // Acquire the whole shared stack; pairs with the CAS in ReturnShared (publishes the recycled records).
            r = Interlocked.Exchange(ref _shared, null);
            if (r is null)
            {
                r = new Request(_owner, _words);
                _all.Add(r);
                return r;
            }
        }

        _local = r.NextFree;
        r.NextFree = null;
        return r;
    }

    /// <summary>Owner thread only.</summary>
    public void ReturnLocal(Request r)
    {
        r.NextFree = _local;
        _local = r;
    }

    /// <summary>Any thread.</summary>
    public void ReturnShared(Request r)
    {
        var head = Volatile.Read(ref _shared);
        while (true)
        {
            r.NextFree = head;
            var seen = Interlocked.CompareExchange(ref _shared, r, head); // full fence: the reset record is published
            if (seen == head)
            {
                return;
            }

            head = seen;
        }
    }
}
