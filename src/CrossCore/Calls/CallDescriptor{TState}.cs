namespace CrossCore;

/// <summary>
/// A reusable <see cref="CallDescriptor"/> that runs <see cref="Function"/> with <see cref="State"/>.
/// </summary>
/// <typeparam name="TState">The state's type. A value type is passed without boxing.</typeparam>
/// <example>
/// <code>
/// var kick = new CallDescriptor&lt;Shard&gt;(static s => s.Flush(), shard);
/// shard.Dirty = true;                               // written before the attempt ...
/// var r = set.CallAsync(target, kick);              // ... so even on Busy the next run sees it (O4)
/// </code>
/// </example>
public sealed class CallDescriptor<TState> : CallDescriptor
{
    /// <summary>Creates a descriptor that will run <paramref name="function"/>(<paramref name="state"/>).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="function"/> is null.</exception>
    public CallDescriptor(Action<TState> function, TState state)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;
        State = state;
    }

    /// <summary>The function run on the target core, in handler context.</summary>
    public Action<TState> Function { get; }

    /// <summary>
    /// The argument passed to <see cref="Function"/>. Set at construction, or per use by
    /// <see cref="CoreSet.CallAsync{TState}(int, CallDescriptor{TState}, TState)"/>, which writes it only while it
    /// holds the claim (the kernel's "fill in info after csd_lock"). The core reads it before the release (O5).
    /// </summary>
    public TState State { get; internal set; }

    internal override Delegate? DiagnosticFunction => Function;

    internal override object? StateForDiagnostics => State;

    internal override void Execute(Core core)
    {
        var function = Function; // O5: everything the run needs is read before the release
        var state = State;
        if (FaultInjection.Active && FaultInjection.ReorderAsyncRelease)
        {
            function(state);       // fault injection only: the function's loads all pass the release
            ReleaseBeforeInvoke();
            return;
        }

        ReleaseBeforeInvoke();
        function(state);
    }
}
