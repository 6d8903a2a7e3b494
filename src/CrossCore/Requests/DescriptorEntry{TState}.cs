namespace CrossCore;

/// <summary>The inbox node of a <see cref="CallDescriptor{TState}"/>: its claim word, function and state.</summary>
internal sealed partial class DescriptorEntry<TState> : AsyncEntry
{
    public DescriptorEntry(Action<TState> function, TState state)
    {
        Function = function;
        State = state;
    }

    public Action<TState> Function { get; }

    /// <summary>Written only by the holder of the claim (the kernel's "fill in info after csd_lock"); the push CAS
    /// publishes it to the core (O2), which reads it before the release (O5).</summary>
    public TState State;

    internal override Delegate? DiagnosticFunction => Function;

    internal override object? StateForDiagnostics => State;

    internal override void Execute(Core core)
    {
        if (FaultInjection.Enabled && TryFaultyExecute()) // test-only emulations (Faults/DescriptorEntry{TState}.Faults.cs)
        {
            return;
        }

        var function = Function; // O5: everything the run needs is read before the release
        var state = State;
        ReleaseBeforeInvoke();
        function(state);
    }
}
