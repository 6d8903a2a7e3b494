namespace CrossCore;

/// <summary>
/// A node of a core's <see cref="Inbox"/>: the kernel's <c>__call_single_node</c>. Every cross-core request
/// (sync call, async call, awaitable call, remote deferred work, task-context work) is one of these.
/// </summary>
/// <remarks>
/// An entry is on at most one inbox at a time; whoever claimed it owns <see cref="Next"/> until the core
/// detaches it, and the core owns it from the detach until it releases the entry. After the release the core
/// never touches it again (O5): it reads <see cref="Next"/> before running or releasing.
/// </remarks>
internal abstract class InboxEntry
{
    /// <summary>The link of the inbox stack, then of the detached FIFO chain. Owned as described above.</summary>
    internal InboxEntry? Next;

    private protected InboxEntry(EntryKind kind) => Kind = kind;

    /// <summary>
    /// The entry's kind. Written only by the entry's owner before a push, which publishes it (O2); read by the core
    /// that detached it.
    /// </summary>
    internal EntryKind Kind;

    /// <summary>
    /// Runs the entry on <paramref name="core"/> in handler context, including its release (sync: after the
    /// function; async: before it, then a full fence). Must not touch <c>this</c> after the release (O5).
    /// </summary>
    internal abstract void Execute(Core core);

    /// <summary>Runs an entry of kind <see cref="EntryKind.TaskWork"/> on its core's thread in task context. Must not throw.</summary>
    internal virtual void RunInTaskContext() => throw new InvalidOperationException("Only task-context work runs in task context.");

    /// <summary>The user function this entry will call, for diagnostics (stuck-call reports, events).</summary>
    internal abstract Delegate? DiagnosticFunction { get; }

    /// <summary>The state the function will receive, for diagnostics.</summary>
    internal abstract object? StateForDiagnostics { get; }
}
