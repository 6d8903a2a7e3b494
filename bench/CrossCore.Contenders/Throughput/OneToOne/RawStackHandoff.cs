using System.Runtime.InteropServices;

namespace CrossCore.Contenders;

/// <summary>
/// P2 floor: the inbox protocol with nothing around it. Each sender cycles a pool of reusable nodes: claim (CAS
/// free → in flight), push onto a Treiber stack (CAS); one consumer thread, spinning on the head, detaches the whole
/// stack with one exchange, reverses it to FIFO and releases each node (store) as it takes it.
/// </summary>
public sealed class RawStackHandoff : PartnerConsumerThroughput
{
    private const int PoolSize = 256;
    private readonly Head _head = new();
    private readonly Node[][] _pools;
    private readonly int[] _cursor;
    private readonly PaddedCounter _consumed = new();
    private readonly bool _fenced;

    /// <summary>Creates the pools and the consumer thread on the partner CPU.</summary>
    /// <param name="placement">Where the threads run.</param>
    /// <param name="senders">How many threads send.</param>
    /// <param name="fenced">Add SPEC O4's full fence after each release (the reference variant): the consumer then
    /// pays what CrossCore's core must pay per async entry (release, full fence, then the function).</param>
    public RawStackHandoff(Placement placement, int senders = 1, bool fenced = false)
        : base(placement, senders, "raw consumer")
    {
        _fenced = fenced;
        _pools = new Node[senders][];
        for (var s = 0; s < senders; s++)
        {
            _pools[s] = new Node[PoolSize];
            for (var i = 0; i < PoolSize; i++)
            {
                _pools[s][i] = new Node();
            }
        }

        _cursor = new int[senders * 16]; // one cache line per sender
    }

    /// <inheritdoc/>
    public override string Name => _fenced ? "raw stack handoff + O4 full fence per item (reference)" : "raw lock-free stack handoff (exchange-detach)";

    /// <inheritdoc/>
    public override ContenderRole Role => _fenced ? ContenderRole.Reference : ContenderRole.Floor;

    /// <inheritdoc/>
    protected override void Produce(int sender, int count)
    {
        var pool = _pools[sender];
        var cursor = _cursor[sender * 16];
        var head = _head;
        for (var i = 0; i < count; i++)
        {
            var node = pool[cursor++ & (PoolSize - 1)];
            var spin = 0;
            while (Interlocked.CompareExchange(ref node.InFlight, 1, 0) != 0)
            {
                while (Volatile.Read(ref node.InFlight) != 0)
                {
                    Spin.Pause(ref spin); // the consumer has not taken it yet: wait reading (as the CrossCore sender does)
                }
            }

            var top = Volatile.Read(ref head.Line.Top);
            while (true)
            {
                node.Next = top;
                var seen = Interlocked.CompareExchange(ref head.Line.Top, node, top);
                if (seen == top)
                {
                    break;
                }

                top = seen;
            }
        }

        _cursor[sender * 16] = cursor;
    }

    /// <inheritdoc/>
    protected override void WaitConsumed(long total)
    {
        var spin = 0;
        while (_consumed.Read() < total)
        {
            Spin.Pause(ref spin);
        }
    }

    /// <inheritdoc/>
    protected override void Consume(Partner self)
    {
        var head = _head;
        var consumed = _consumed.Read();
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            if (Volatile.Read(ref head.Line.Top) is not null)
            {
                var chain = Interlocked.Exchange(ref head.Line.Top, null);
                Node? fifo = null;
                while (chain is not null)
                {
                    var next = chain.Next;
                    chain.Next = fifo;
                    fifo = chain;
                    chain = next;
                }

                while (fifo is not null)
                {
                    var next = fifo.Next;
                    Volatile.Write(ref fifo.InFlight, 0); // release: the sender may reuse it
                    if (_fenced)
                    {
                        Interlocked.MemoryBarrier(); // O4: the release is ordered before the "function"
                    }

                    consumed++;
                    fifo = next;
                }

                Volatile.Write(ref _consumed.Value, consumed);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private sealed class Node
    {
        public Node? Next;
        public int InFlight;
    }

    private sealed class Head
    {
        public PaddedTop Line;
    }

    [StructLayout(LayoutKind.Explicit, Size = 128)]
    private struct PaddedTop
    {
        [FieldOffset(64)]
        public Node? Top;
    }
}
