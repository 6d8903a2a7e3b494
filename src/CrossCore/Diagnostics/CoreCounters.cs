using System.Runtime.InteropServices;

namespace CrossCore;

/// <summary>
/// One core's counters. The core-side ones are plain fields written only by the core's thread; the sender-side ones
/// sit on their own cache line and are updated with interlocked adds only on the paths they count (wake-up decisions,
/// Busy answers, coalesced queues, Offline answers), never on a plain successful push. Readers (statistics, the Meter)
/// read both kinds through <see cref="StatCounter.Read(ref long)"/>: racy snapshots, which is all a counter needs.
/// </summary>
internal sealed class CoreCounters
{
    // ---- written by the core thread only ----
    public long SyncRun;
    public long LaneRun; // the part of SyncRun served through sender lanes
    public long AsyncRun;
    public long DeferredRun;
    public long TaskRun;
    public long InlineRun;
    public long Batches;
    public long BatchEntries;
    public long MaxBatch;
    public long Parks;
    public long Exceptions;

    private SenderSide _senders;

    public long WakeupsSent => StatCounter.Read(ref _senders.WakeupsSent);
    public long WakeupsAvoided => StatCounter.Read(ref _senders.WakeupsAvoided);
    public long BusyAnswers => StatCounter.Read(ref _senders.Busy);
    public long Coalesced => StatCounter.Read(ref _senders.Coalesced);

    /// <summary>Waits aimed at this core that the stuck-call detector reported and that have not got unstuck yet.</summary>
    public long StuckNow => StatCounter.Read(ref _senders.StuckNow);

    /// <summary>Offline answers to requests of <paramref name="kind"/> aimed at this core (a snapshot).</summary>
    public long OfflineAnswers(EntryKind kind) => kind switch
    {
        EntryKind.Sync => StatCounter.Read(ref _senders.OfflineSync),
        EntryKind.Async => StatCounter.Read(ref _senders.OfflineAsync),
        EntryKind.DeferredWork => StatCounter.Read(ref _senders.OfflineDeferred),
        _ => StatCounter.Read(ref _senders.OfflineTask),
    };

    // Several senders count at once: interlocked adds (StatCounter.Add).
    public void AddWakeSent() => StatCounter.Add(ref _senders.WakeupsSent);
    public void AddWakeAvoided() => StatCounter.Add(ref _senders.WakeupsAvoided);
    public void AddBusy() => StatCounter.Add(ref _senders.Busy);
    public void AddCoalesced() => StatCounter.Add(ref _senders.Coalesced);

    /// <summary>A wait on this core became stuck (+1, its first report) or got unstuck (-1): the detector's cold path.</summary>
    public void AddStuck(int delta) => StatCounter.Add(ref _senders.StuckNow, delta);

    /// <summary>Counts an Offline answer (a cold path).</summary>
    public void AddOffline(EntryKind kind)
    {
        switch (kind)
        {
            case EntryKind.Sync:
                StatCounter.Add(ref _senders.OfflineSync);
                break;
            case EntryKind.Async:
                StatCounter.Add(ref _senders.OfflineAsync);
                break;
            case EntryKind.DeferredWork:
                StatCounter.Add(ref _senders.OfflineDeferred);
                break;
            default:
                StatCounter.Add(ref _senders.OfflineTask);
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
