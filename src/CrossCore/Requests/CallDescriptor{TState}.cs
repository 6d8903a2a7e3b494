namespace CrossCore;

/// <summary>
/// A reusable <see cref="CallDescriptor"/> that runs <see cref="Function"/>(<see cref="State"/>) on the core it is
/// posted to.
/// </summary>
/// <typeparam name="TState">The state's type. A value type is passed without boxing.</typeparam>
/// <example>
/// <code>
/// var kick = new CallDescriptor&lt;Shard&gt;(static s => s.Flush(), shard);
/// shard.Dirty = true;                 // written before the attempt ...
/// _ = set.TryPost(target, kick);      // ... so Ok or Busy, the next run of Flush sees it
/// </code>
/// </example>
public sealed class CallDescriptor<TState> : CallDescriptor
{
    private readonly DescriptorEntry<TState> _entry;

    /// <summary>Creates a descriptor that will run <paramref name="function"/>(<paramref name="state"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public CallDescriptor(Action<TState> function, TState state)
        : this(new DescriptorEntry<TState>(function ?? throw new ArgumentNullException(nameof(function)), state))
    {
    }

    private CallDescriptor(DescriptorEntry<TState> entry)
        : base(entry) => _entry = entry;

    /// <summary>The function run on the target core. It runs in handler context: keep it short and never wait.</summary>
    public Action<TState> Function => _entry.Function;

    /// <summary>
    /// The argument passed to <see cref="Function"/>: set at construction, or for one run by
    /// <see cref="CoreSet.TryPost{TState}(int, CallDescriptor{TState}, TState)"/>.
    /// </summary>
    public TState State => _entry.State;

    /// <summary>Sets the state for the next run. Only the holder of a fresh claim calls it.</summary>
    internal void SetStateWhileClaimed(TState state) => _entry.State = state;
}
