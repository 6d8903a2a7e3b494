using Microsoft.Coyote.Rewriting;

namespace CrossCore.Coyote.Scenarios;

/// <summary>
/// A count a scenario waits on with <see cref="Harness.WaitUntil"/>. Not rewritten: Coyote's scheduler evaluates
/// the wait's condition itself, so the condition must hold no scheduling point of its own.
/// </summary>
[SkipRewriting("read by the scheduler itself")]
public sealed class Counter
{
    private int _value;

    /// <summary>The count now.</summary>
    public int Value => Volatile.Read(ref _value);

    /// <summary>Adds one; returns the new count.</summary>
    public int Increment() => Interlocked.Increment(ref _value);

    /// <summary>A condition: the count has reached <paramref name="n"/>.</summary>
    public Func<bool> Reached(int n) => new AtLeast(this, n).Evaluate;

    [SkipRewriting("read by the scheduler itself")]
    private sealed class AtLeast(Counter counter, int n)
    {
        public bool Evaluate() => counter.Value >= n;
    }
}
