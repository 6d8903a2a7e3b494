
namespace CrossCore.Cli.Torture;

/// <summary>
/// An invoker's own descriptor (async_own) or deferred work (deferred_own, deferred_lazy) with a fixed target core:
/// the exact visibility check. Only the owner claims it, so the claim in flight is always the owner's latest (#k), and
/// its runs happen one after another on the target core in claim order. The owner writes a new datum before every
/// attempt; a Busy or Coalesced answer while claim #k is in flight means run #k must see that datum (O4, O6), as must
/// the run of a claim see the datum written before it. Each run records what it saw in a ring, which the owner checks
/// once the run is done.
/// </summary>
/// <remarks>
/// A tight re-queue loop (<see cref="OwnClaimPrimitive"/>'s spin) makes the store-buffering shape these rules exist for: the
/// owner stores a datum and attempts (a full fence, then it reads the claim word) while the core releases the claim
/// and loads the datum. Without the runtime's full fence after the release, the core's load can pass its own store,
/// and the owner gets Busy for a datum the run never sees.
/// </remarks>
internal sealed class OwnSlot
{
    private const int RingSize = 64;

    private readonly long[] _ringRun = new long[RingSize];
    private readonly long[] _ringSeen = new long[RingSize];
    private readonly PendingCheck[] _pending = new PendingCheck[16];
    private int _pendingCount;
    private bool _reportedExtraRuns;
    private bool _finalAdded;

    public OwnSlot(InvokerContext owner, Primitive primitive, int target)
    {
        Owner = owner;
        Primitive = primitive;
        Target = target;
        var set = owner.Engine.Set;
        if (primitive == Primitive.AsyncOwn)
        {
            Descriptor = new CallDescriptor<OwnSlot>(Functions.OwnRun, this);
        }
        else
        {
            Work = new DeferredWork<OwnSlot>(
                set,
                Functions.OwnRun,
                this,
                primitive == Primitive.DeferredLazy ? DeferredWorkOptions.Lazy : DeferredWorkOptions.None,
                target);
        }
    }

    public InvokerContext Owner { get; }

    public Primitive Primitive { get; }

    public int Target { get; }

    public CallDescriptor<OwnSlot>? Descriptor { get; }

    public DeferredWork<OwnSlot>? Work { get; }

    // ---- written by the owner before each attempt, read by the run first thing ----
    public long Written;

    // ---- the run side: the target core only (runs are serialized there) ----
    public long Runs;
    public long LastSeen;

    // ---- the owner side ----
    public long Seq;
    public long Claims;
    private long _claimSeq;
    private long _required;
    private bool _requiredByBusy;

    /// <summary>Called by the run, after it loaded <see cref="Written"/> (as <paramref name="seen"/>).</summary>
    public void RecordRun(long seen)
    {
        var k = Runs + 1; // only this core writes Runs
        _ringSeen[k % RingSize] = seen;
        Volatile.Write(ref _ringRun[k % RingSize], k); // release: the seen value before the run number
        Volatile.Write(ref Runs, k); // release; pairs with the owner's acquire in Verify
    }

    /// <summary>The owner's attempt was accepted: claim #k+1 is now in flight.</summary>
    public void NewClaim(long seq)
    {
        if (Claims > 0)
        {
            AddPending();
        }

        Claims++;
        _claimSeq = seq;
        _required = seq;
        _requiredByBusy = false;
    }

    /// <summary>The owner got Busy/Coalesced after writing <paramref name="seq"/>: the claim in flight must see it.</summary>
    public bool NoteBusy(long seq)
    {
        if (Claims == 0)
        {
            return false;
        }

        if (seq > _required)
        {
            _required = seq;
            _requiredByBusy = true;
        }

        return true;
    }

    /// <summary>Checks every pending claim whose run is done. Owner thread; also at the end, after every run.</summary>
    public void Verify(bool final)
    {
        var runs = Volatile.Read(ref Runs); // acquire; pairs with the release in RecordRun
        if (runs > Claims && !_reportedExtraRuns)
        {
            _reportedExtraRuns = true;
            Owner.Engine.Violations.Add(ViolationKind.Duplicate, Primitive, Describe($"ran {runs} times for {Claims} accepted claims"));
        }

        if (_reportedExtraRuns)
        {
            _pendingCount = 0; // run #k no longer belongs to claim #k: further visibility checks would be noise
            return;
        }

        if (final && Claims > 0 && !_finalAdded)
        {
            AddPending(); // the last claim has no successor to push it
            _finalAdded = true;
        }

        var write = 0;
        for (var i = 0; i < _pendingCount; i++)
        {
            var p = _pending[i];
            if (runs < p.Claim)
            {
                if (final)
                {
                    Owner.Engine.Violations.Add(ViolationKind.Lost, Primitive, Describe($"claim #{p.Claim} was accepted but never ran ({runs} runs)"));
                    continue;
                }

                _pending[write++] = p;
                continue;
            }

            var slot = (int)(p.Claim % RingSize);
            var run = Volatile.Read(ref _ringRun[slot]); // acquire; pairs with RecordRun
            var seen = _ringSeen[slot];
            if (run != p.Claim)
            {
                continue; // lapped (cannot happen while the owner verifies every request); nothing to say
            }

            if (seen < p.ClaimSeq)
            {
                Owner.Engine.Violations.Add(ViolationKind.MissedCallerWrite, Primitive,
                    Describe($"run #{p.Claim} saw datum {seen}, but datum {p.ClaimSeq} was written before its claim (O2)"));
            }
            else if (seen < p.Required)
            {
                var kind = Primitive == Primitive.AsyncOwn ? ViolationKind.BusyNotSeen : ViolationKind.CoalescedNotSeen;
                var answer = Primitive == Primitive.AsyncOwn ? "Busy (O4)" : "Coalesced (O6)";
                Owner.Engine.Violations.Add(kind, Primitive,
                    Describe($"run #{p.Claim} saw datum {seen}, but datum {p.Required} was written before an attempt that answered {answer} while claim #{p.Claim} was in flight"));
            }
        }

        _pendingCount = write;
    }

    private void AddPending()
    {
        if (_pendingCount == _pending.Length)
        {
            // Runs lag far behind (a slow target): drop the oldest check rather than grow.
            Array.Copy(_pending, 1, _pending, 0, _pending.Length - 1);
            _pendingCount--;
        }

        _pending[_pendingCount++] = new PendingCheck(Claims, _claimSeq, _requiredByBusy ? _required : _claimSeq);
    }

    public string Describe(string what) =>
        $"{Primitive.Name()} of invoker {Owner.Index} -> core {Target}: {what}";

    private readonly record struct PendingCheck(long Claim, long ClaimSeq, long Required);
}
