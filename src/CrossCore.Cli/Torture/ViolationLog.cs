namespace CrossCore.Cli.Torture;

/// <summary>Counts violations by kind and primitive and keeps the first example of each kind. Thread-safe.</summary>
internal sealed class ViolationLog
{
    private readonly long[] _byKind = new long[ViolationKinds.Count];
    private readonly long[] _byPrimitive = new long[PrimitiveNames.Count];
    private readonly string?[] _examples = new string?[ViolationKinds.Count];
    private long _total;

    // The counters publish nothing but their own values: the Interlocked adds keep concurrent counts exact, and the
    // Volatile reads give the live display a current value; the run's result reads them after every thread is joined.
    public long Total => Volatile.Read(ref _total); // a current value for the display; see above

    public long Count(ViolationKind kind) => Volatile.Read(ref _byKind[(int)kind]); // see above

    public long ForPrimitive(Primitive primitive) => Volatile.Read(ref _byPrimitive[(int)primitive]); // see above

    public string? Example(ViolationKind kind) => Volatile.Read(ref _examples[(int)kind]); // acquire; pairs with the CompareExchange in Add: the string is complete

    /// <summary>Records one violation; <paramref name="example"/> is kept if it is the first of its kind.</summary>
    public void Add(ViolationKind kind, Primitive? primitive, string example)
    {
        Interlocked.Increment(ref _byKind[(int)kind]);
        Interlocked.Increment(ref _total);
        if (primitive is { } p)
        {
            Interlocked.Increment(ref _byPrimitive[(int)p]);
        }

        Interlocked.CompareExchange(ref _examples[(int)kind], example, null); // the first example of its kind wins; publishes the string to Example
    }

    /// <summary>Adds <paramref name="count"/> violations at once (end-of-run accounting).</summary>
    public void Add(ViolationKind kind, Primitive? primitive, long count, string example)
    {
        if (count <= 0)
        {
            return;
        }

        Interlocked.Add(ref _byKind[(int)kind], count);
        Interlocked.Add(ref _total, count);
        if (primitive is { } p)
        {
            Interlocked.Add(ref _byPrimitive[(int)p], count);
        }

        Interlocked.CompareExchange(ref _examples[(int)kind], example, null);
    }

    public IEnumerable<(ViolationKind Kind, long Count, string? Example)> NonZero()
    {
        for (var i = 0; i < ViolationKinds.Count; i++)
        {
            var n = Volatile.Read(ref _byKind[i]);
            if (n != 0)
            {
                yield return ((ViolationKind)i, n, Volatile.Read(ref _examples[i]));
            }
        }
    }
}
