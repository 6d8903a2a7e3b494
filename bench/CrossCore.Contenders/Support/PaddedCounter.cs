namespace CrossCore.Contenders;

/// <summary>A counter object whose value sits alone on its cache line; the state of the measured functions.</summary>
public sealed class PaddedCounter
{
    private PaddedLong _value;

    /// <summary>The count (plain: written by one thread at a time in every scenario that uses it).</summary>
    public ref long Value => ref _value.Value;

    /// <summary>An acquire read of the count, for the thread that waits for it.</summary>
    public long Read() => Volatile.Read(ref _value.Value);

    /// <summary>Adds one with a plain increment (single writer).</summary>
    public void Increment() => _value.Value++;
}
