namespace CrossCore;

/// <summary>
/// The inbox and list node of a <see cref="DeferredWork"/> (the kernel's <c>irq_work.node</c>). Created with the work
/// and owned by it; the work's flags decide who may link it (the claimer, until the core detaches it).
/// </summary>
internal sealed class DeferredEntry : InboxEntry
{
    public DeferredEntry(DeferredWork work)
        : base(EntryKind.DeferredWork) => Work = work;

    /// <summary>The work this node carries.</summary>
    public DeferredWork Work { get; }

    internal override Delegate? DiagnosticFunction => Work.DiagnosticFunction;

    internal override object? StateForDiagnostics => Work.StateForDiagnostics;

    internal override void Execute(Core core) => Work.Execute(core);
}
