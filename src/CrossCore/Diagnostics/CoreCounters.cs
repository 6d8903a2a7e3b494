using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// One core's counters. The core-side ones are plain fields written only by the core's thread; the sender-side ones
/// sit on their own cache line and are updated with interlocked adds only on the paths they count (wake-up decisions,
/// Busy answers, coalesced queues, Offline answers), never on a plain successful push. Readers (statistics, the Meter) take racy
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
    public long WakeupsAvoided => Volatile.Read(ref _senders.WakeupsAvoided); // acquire; a snapshot, orders nothing
    public long BusyAnswers => Volatile.Read(ref _senders.Busy); // acquire; a snapshot, orders nothing
    public long Coalesced => Volatile.Read(ref _senders.Coalesced); // acquire; a snapshot, orders nothing

    /// <summary>Waits aimed at this core that the stuck-call detector reported and that have not got unstuck yet.</summary>
    public long StuckNow => Volatile.Read(ref _senders.StuckNow); // acquire; a snapshot, orders nothing

    /// <summary>Offline answers to requests of <paramref name="kind"/> aimed at this core (a snapshot).</summary>
    public long OfflineAnswers(EntryKind kind) => kind switch
    {
        EntryKind.Sync => Volatile.Read(ref _senders.OfflineSync), // acquire; a snapshot
        EntryKind.Async => Volatile.Read(ref _senders.OfflineAsync), // acquire; a snapshot, orders nothing
        EntryKind.DeferredWork => Volatile.Read(ref _senders.OfflineDeferred), // acquire; a snapshot, orders nothing
        _ => Volatile.Read(ref _senders.OfflineTask), // acquire; a snapshot, orders nothing
    };

    // Interlocked adds: several senders count at once; a counter needs atomicity, not ordering with anything else.
    public void AddWakeSent() => Interlocked.Increment(ref _senders.WakeupsSent); // atomicity only, orders nothing
    public void AddWakeAvoided() => Interlocked.Increment(ref _senders.WakeupsAvoided); // atomicity only, orders nothing
    public void AddBusy() => Interlocked.Increment(ref _senders.Busy); // atomicity only, orders nothing
    public void AddCoalesced() => Interlocked.Increment(ref _senders.Coalesced); // atomicity only, orders nothing

    /// <summary>A wait on this core became stuck (+1, its first report) or got unstuck (-1): the detector's cold path.</summary>
    public void AddStuck(int delta) => Interlocked.Add(ref _senders.StuckNow, delta); // atomicity only, orders nothing

    /// <summary>Counts an Offline answer (a cold path). Interlocked: atomicity only, orders nothing.</summary>
    public void AddOffline(EntryKind kind)
    {
        switch (kind)
        {
            case EntryKind.Sync:
                Interlocked.Increment(ref _senders.OfflineSync); // atomicity only, orders nothing
                break;
            case EntryKind.Async:
                Interlocked.Increment(ref _senders.OfflineAsync); // atomicity only, orders nothing
                break;
            case EntryKind.DeferredWork:
                Interlocked.Increment(ref _senders.OfflineDeferred); // atomicity only, orders nothing
                break;
            default:
                Interlocked.Increment(ref _senders.OfflineTask); // atomicity only, orders nothing
                break;
        }
    }

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
        [FieldOffset(96)] public long OfflineSync;
        [FieldOffset(104)] public long OfflineAsync;
        [FieldOffset(112)] public long OfflineDeferred;
        [FieldOffset(120)] public long OfflineTask;
        [FieldOffset(128)] public long StuckNow;
    }
}
