using System.Runtime.InteropServices;

namespace CrossCore.Contenders;

/// <summary>
/// Coalescing floor: the irq_work claim protocol on one padded flags word and nothing else. The sender claims with
/// one atomic OR of pending|busy (it "queues" only if pending was clear); a consumer thread spinning on the word
/// clears pending, fences, runs, and clears busy with a CAS. Time per queue attempt; runs per attempt shows the
/// coalescing.
/// </summary>
public sealed class RawFlagCoalescing : PartnerConsumerThroughput
{
    private const int Pending = 1;
    private const int Busy = 2;
    private readonly Flags _flags = new();
    private readonly PaddedCounter _runs = new();
    private long _runsBefore;

    /// <summary>Creates the consumer thread on the partner CPU.</summary>
    public RawFlagCoalescing(Placement placement)
        : base(placement, 1, "raw flag consumer")
    {
    }

    /// <inheritdoc/>
    public override string Name => "raw claim flag (atomic OR) + spinning runner";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    public override void BeforeRun() => _runsBefore = _runs.Read();

    /// <inheritdoc/>
    public override void AfterRun(int ops) => SetExtra("runs_per_op", (double)(_runs.Read() - _runsBefore) / ops);

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var flags = _flags;
        for (var i = 0; i < count; i++)
        {
            Interlocked.Or(ref flags.Line.Word, Pending | Busy);
        }
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (Volatile.Read(ref _flags.Line.Word) != 0)
        {
            Spin.Pause(ref spin);
        }
    }

    /// <inheritdoc/>
    protected override void Consume(Partner self)
    {
        var flags = _flags;
        var runs = _runs.Read();
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            var word = Volatile.Read(ref flags.Line.Word);
            if ((word & Pending) != 0)
            {
                var cleared = word & ~Pending;
                Volatile.Write(ref flags.Line.Word, cleared);
                Interlocked.MemoryBarrier();
                Volatile.Write(ref _runs.Value, ++runs); // the "function"
                Interlocked.CompareExchange(ref flags.Line.Word, cleared & ~Busy, cleared);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private sealed class Flags
    {
        public PaddedInt Line;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedInt
    {
        [FieldOffset(64)]
        public int Word;
    }
}
