using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// What a core is running, for the stuck-call detector (D1): written by the core for every entry it runs, read by a
/// reporter only when a call is stuck. A seqlock on <see cref="_sequence"/>: odd while a function runs.
/// </summary>
/// <remarks>
/// <para>Alone on its cache lines (64 bytes of padding on each side): as plain fields of <see cref="Core"/> the CLR put
/// them beside fields every sender reads on every request (<c>Set</c>, <c>Parker</c>, <c>Counters</c>, <c>Id</c>),
/// and the per-entry writes then bounced that line between the CPUs. Measured in docs/PERFORMANCE.md: the sync round
/// trip went from 2.2× to 1.13–1.15× a raw cache-line ping-pong.</para>
/// <para>A mutable struct held in a field of its core and only ever used through that field (never copied). The
/// write side (<see cref="MarkStart"/>, <see cref="Begin"/>, <see cref="End"/>) runs on the core's thread only.</para>
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct RunRecord
{
    /// <summary>The entry being run (null for an inline call).</summary>
    [FieldOffset(64)]
    private InboxEntry? _entry;

    /// <summary>The function being run when there is no entry (an inline call); otherwise null and the reader asks
    /// <see cref="_entry"/> (off the hot path).</summary>
    [FieldOffset(72)]
    private Delegate? _function;

    /// <summary>When its batch (or list run, or inline call) started (<see cref="Environment.TickCount64"/>): an upper
    /// bound on how long the current function has run, stamped once per batch rather than per entry.</summary>
    [FieldOffset(80)]
    private long _sinceMs;

    /// <summary>The seqlock: odd while a function runs.</summary>
    [FieldOffset(88)]
    private int _sequence;

    /// <summary>
    /// Stamps the start of a batch (or of a list run, or an inline call). Once per batch, not per entry: reading the
    /// clock per entry cost the async path measurably (P2), and for a stuck-call report "running since its batch
    /// began" is a tight enough upper bound.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void MarkStart() =>
        // Release, read under the seqlock in TryRead: written while the sequence is even (no function runs), so a
        // reader that sees an odd sequence before and after sees this or a later stamp.
        Volatile.Write(ref _sinceMs, Environment.TickCount64);

    /// <summary>A function starts: <paramref name="entry"/>'s, or for an inline call (no entry) <paramref name="function"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Begin(InboxEntry? entry, Delegate? function)
    {
        // Seqlock write side (D1). The fields are release stores so they cannot become visible before the previous
        // End's release of the sequence (a plain store may pass an earlier release store on ARM; free on x86).
        // The reader then sees either the old even sequence or these fields under the new odd one.
        Volatile.Write(ref _entry, entry);
        Volatile.Write(ref _function, function);
        // Release: the fields are visible before the sequence turns odd; pairs with the acquire reads of the
        // sequence in TryRead. Odd = running.
        Volatile.Write(ref _sequence, _sequence + 1);
    }

    /// <summary>The function returned.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void End() =>
        // Seqlock: even = idle (release; pairs with TryRead). The fields keep their values (no clearing stores on the
        // hot path); the sequence says they are stale.
        Volatile.Write(ref _sequence, _sequence + 1);

    /// <summary>
    /// A consistent snapshot of what the core is running, from any thread. Returns false if it runs no call or
    /// deferred function right now (or changed function while we looked, twice).
    /// </summary>
    public bool TryRead(out InboxEntry? entry, out Delegate? function, out TimeSpan runningFor)
    {
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var before = Volatile.Read(ref _sequence); // acquire; pairs with the release in Begin
            entry = _entry;
            function = _function ?? entry?.DiagnosticFunction; // entries are asked only here, off the hot path
            var since = _sinceMs;
            // Seqlock read side: orders the field loads before the second sequence load; pairs with Begin's release stores
            // of the fields, which cannot become visible before the change of the sequence that preceded them.
            Interlocked.MemoryBarrier();
            var after = Volatile.Read(ref _sequence); // acquire; pairs with the releases of the sequence in Begin and End
            if (before == after)
            {
                runningFor = TimeSpan.FromMilliseconds(Math.Max(0, Environment.TickCount64 - since));
                return (before & 1) != 0;
            }
        }

        entry = null;
        function = null;
        runningFor = default;
        return false;
    }
}
