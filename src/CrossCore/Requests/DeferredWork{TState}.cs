namespace CrossCore;

/// <summary>A <see cref="DeferredWork"/> that runs <see cref="Function"/>(<see cref="State"/>).</summary>
/// <typeparam name="TState">The state's type. A value type is passed without boxing.</typeparam>
/// <example>
/// Flush at most once, never lose a flush:
/// <code>
/// var flush = new DeferredWork&lt;Log&gt;(set, static log => log.FlushPending(), log, DeferredWorkOptions.Lazy);
/// log.Append(line);   // written before the queue ...
/// flush.Queue();      // ... so even a Coalesced answer means the next flush includes it
/// </code>
/// </example>
public sealed class DeferredWork<TState> : DeferredWork
{
    /// <summary>Creates a deferred work for <paramref name="set"/>.</summary>
    /// <param name="set">The set whose cores run it.</param>
    /// <param name="function">The function; runs in handler context (short, must not wait).</param>
    /// <param name="state">Its argument.</param>
    /// <param name="options">Lazy or immediate; default: prompt.</param>
    /// <param name="defaultCore">Where <see cref="DeferredWork.Queue"/> sends it from outside the set.</param>
    /// <exception cref="ArgumentNullException"><paramref name="set"/> or <paramref name="function"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="defaultCore"/> is not a core of the set, or unknown options.</exception>
    public DeferredWork(CoreSet set, Action<TState> function, TState state, DeferredWorkOptions options = DeferredWorkOptions.None, int defaultCore = 0)
        : base(set, options, defaultCore)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        State = state;
    }

    /// <summary>The function.</summary>
    public Action<TState> Function { get; }

    /// <summary>Its argument.</summary>
    public TState State { get; }

    internal override Delegate DiagnosticFunction => Function;

    internal override object? StateForDiagnostics => State;

    private protected override void Invoke() => Function(State);
}
