using System.Runtime.InteropServices;

namespace CrossCore.Diagnostics;

/// <summary>
/// One core's counters. The core-side ones are plain fields written only by the core's thread; the sender-side ones
/// sit on their own cache line and are updated with interlocked adds only on the paths they count (wake-up decisions,
/// Busy answers, coalesced queues), never on a plain successful push. Readers (statistics, the Meter) take racy
/// snapshots, which is all a counter needs.
/// </summary>
internal sealed class CoreCounters
{
    // ---- written by the core thread only ----
    public long SyncRun;
    public long AsyncRun;
    public long DeferredRun;
    public long TaskRun;
    public long Batches;
    public long BatchEntries;
    public long MaxBatch;
    public long Parks;
    public long Exceptions;

    private SenderSide _senders;

    public long WakeupsSent => Volatile.Read(ref _senders.WakeupsSent); // acquire; a snapshot
    public long WakeupsAvoided => Volatile.Read(ref _senders.WakeupsAvoided);
    public long BusyAnswers => Volatile.Read(ref _senders.Busy);
    public long Coalesced => Volatile.Read(ref _senders.Coalesced);

    // Interlocked adds: several senders count at once; a counter needs atomicity, not ordering with anything else.
    public void AddWakeSent() => Interlocked.Increment(ref _senders.WakeupsSent);
    public void AddWakeAvoided() => Interlocked.Increment(ref _senders.WakeupsAvoided);
    public void AddBusy() => Interlocked.Increment(ref _senders.Busy);
    public void AddCoalesced() => Interlocked.Increment(ref _senders.Coalesced);

    public void RecordBatch(int entries)
    {
        Batches++;
        BatchEntries += entries;
        if (entries > MaxBatch)
        {
            MaxBatch = entries;
        }
    }

    [StructLayout(LayoutKind.Explicit, Size = 192)]
    private struct SenderSide
    {
        [FieldOffset(64)] public long WakeupsSent;
        [FieldOffset(72)] public long WakeupsAvoided;
        [FieldOffset(80)] public long Busy;
        [FieldOffset(88)] public long Coalesced;
    }
}
