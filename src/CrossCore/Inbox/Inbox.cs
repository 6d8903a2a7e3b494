using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// A core's lock-free multi-producer inbox (the kernel's per-CPU <c>call_single_queue</c>, an llist):
/// a Treiber stack that producers push onto and the owning core detaches whole.
/// </summary>
/// <remarks>
/// <para>Push and detach-all are the only operations, so there is no ABA problem: a node is never popped
/// individually. <see cref="Push"/> reports whether the inbox was empty; only that producer wakes the core
/// (O3, proof in the kernel reference §3.3).</para>
/// <para>On dispose the core's last detach installs <see cref="s_closed"/>; a push that finds it fails, and
/// its caller runs the entry itself, so nothing accepted is stranded.</para>
/// The head sits alone on its cache line so producers contend with nothing but each other.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct Inbox
{
    /// <summary>The sentinel that marks a closed inbox (after dispose).</summary>
    private static readonly InboxEntry s_closed = new ClosedSentinel();

    [FieldOffset(64)]
    private InboxEntry? _head;

    /// <summary>An unsynchronized hint: true when something is (or was just) queued. Used by polling loops.</summary>
    public readonly bool HasWork
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        // O7: acquire read of the head; pairs with the CAS in Push. A stale null is fine for a hint: the
        // park path re-checks after its full fence (Parker.PrepareToPark).
        get
        {
            var head = Volatile.Read(ref Unsafe.AsRef(in _head));
            return head is not null && head != s_closed;
        }
    }

    /// <summary>True once <see cref="CloseAndDetach"/> has run.</summary>
    public readonly bool IsClosed => Volatile.Read(ref Unsafe.AsRef(in _head)) == s_closed; // acquire; pairs with the Exchange in CloseAndDetach

    /// <summary>The newest entry, for a diagnostic walk only (links may change under the walker).</summary>
    public readonly InboxEntry? PeekForDiagnostics()
    {
        var head = Volatile.Read(ref Unsafe.AsRef(in _head)); // acquire; pairs with the CAS in Push
        return head == s_closed ? null : head;
    }

    /// <summary>Pushes <paramref name="entry"/>. Returns <see cref="PushResult.Closed"/> if the inbox is closed.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public PushResult Push(InboxEntry entry)
    {
        // O2: the read of the head needs no ordering of its own; the CAS below is the publication point.
        var head = Volatile.Read(ref _head);
        while (true)
        {
            if (head == s_closed)
            {
                return PushResult.Closed;
            }

            entry.Next = head; // plain: published by the CAS below
            // O2/O3: full fence. Every write to the entry and everything the caller wrote before is visible
            // to the core that detaches it (pairs with the Exchange in DetachAll). It also orders the push
            // before the sender's read of the core's idle state in Core.Kick (O7; pairs with the
            // Interlocked.Exchange that publishes Parked in Parker.PrepareToPark).
            var seen = Interlocked.CompareExchange(ref _head, entry, head);
            if (seen == head)
            {
                return head is null ? PushResult.WasEmpty : PushResult.WasNotEmpty;
            }

            head = seen;
        }
    }

    /// <summary>Detaches everything queued, oldest first (FIFO). Returns null if the inbox was empty or is closed.</summary>
    /// <remarks>Only the owning core calls it. Only the owner closes the inbox, so a closed inbox seen here stays
    /// closed, and it must never be exchanged away even for an instant: a push landing in that instant would be
    /// overwritten when the sentinel is put back.</remarks>
    /// <param name="count">How many entries were detached.</param>
    /// <param name="syncs">How many of them are sync entries (the batch runs those first, §5.1).</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    public InboxEntry? DetachAll(out int count, out int syncs)
    {
        var head = Volatile.Read(ref _head); // acquire; a cheap pre-check, the Exchange below is the real detach
        if (head is null || head == s_closed)
        {
            count = 0;
            syncs = 0;
            return null;
        }

        // O2: full fence; pairs with the producers' CAS in Push, so every write made before a push is visible to
        // the code that runs the entry.
        return Reverse(Interlocked.Exchange(ref _head, null), out count, out syncs);
    }

    /// <summary>Closes the inbox and returns what was on it (FIFO). Only the owning core calls it.</summary>
    public InboxEntry? CloseAndDetach(out int count, out int syncs)
    {
        // O2: full fence, as in DetachAll; pairs with the producers' CAS. From now on Push fails.
        var chain = Interlocked.Exchange(ref _head, s_closed);
        if (chain == s_closed)
        {
            count = 0;
            syncs = 0;
            return null;
        }

        return Reverse(chain, out count, out syncs);
    }

    /// <summary>Reverses a detached chain to FIFO order, counting it on the way (one walk for both).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // hot core-thread path: see docs/PERFORMANCE.md, "Tiering"
    private static InboxEntry? Reverse(InboxEntry? chain, out int count, out int syncs)
    {
        InboxEntry? fifo = null;
        count = 0;
        syncs = 0;
        while (chain is not null)
        {
            var next = chain.Next;
            chain.Next = fifo;
            fifo = chain;
            chain = next;
            count++;
            if (fifo.Kind == EntryKind.Sync)
            {
                syncs++;
            }
        }

        return fifo;
    }

    private sealed class ClosedSentinel : InboxEntry
    {
        public ClosedSentinel() : base(EntryKind.Async) { }

        internal override Delegate? DiagnosticFunction => null;

        internal override object? StateForDiagnostics => null;

        internal override void Execute(Core core) => Debug.Fail("The closed sentinel is never executed.");
    }
}
