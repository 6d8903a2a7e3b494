using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// What a core is running, for the stuck-call detector (D1): written by the core for every entry it runs, read by a
/// reporter only when a call is stuck (a seqlock on <see cref="Sequence"/>; odd = running).
/// </summary>
/// <remarks>
/// Alone on its cache lines (64 bytes of padding on each side): as plain fields of <see cref="Core"/> the CLR put
/// them beside fields every sender reads on every request (<c>Set</c>, <c>Parker</c>, <c>Counters</c>, <c>Id</c>),
/// and the per-entry writes then bounced that line between the CPUs. Measured in docs/PERFORMANCE.md: the sync round
/// trip went from 2.2× to 1.13–1.15× a raw cache-line ping-pong.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = 192)]
internal struct RunRecord
{
    /// <summary>The entry being run (null for an inline call).</summary>
    [FieldOffset(64)]
    public InboxEntry? Entry;

    /// <summary>The function being run when there is no entry (an inline call); otherwise null and the reader asks
    /// <see cref="Entry"/> (off the hot path).</summary>
    [FieldOffset(72)]
    public Delegate? Function;

    /// <summary>When its batch (or list run, or inline call) started (<see cref="Environment.TickCount64"/>): an upper
    /// bound on how long the current function has run, stamped once per batch rather than per entry.</summary>
    [FieldOffset(80)]
    public long SinceMs;

    /// <summary>The seqlock: odd while a function runs.</summary>
    [FieldOffset(88)]
    public int Sequence;
}
