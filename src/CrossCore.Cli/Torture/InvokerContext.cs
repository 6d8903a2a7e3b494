namespace CrossCore.Cli.Torture;

/// <summary>
/// What a torture primitive (<see cref="ITorturePrimitive"/>) works with, owned by one <see cref="Invoker"/>: its
/// random source, the set and the harness's hotplug state, its request records, its own and raced descriptors and
/// works, its counters, and the checks a request's outcome goes through (InvokerContext.Completion.cs). Used by the
/// invoker's thread only, except where a member says otherwise.
/// </summary>
internal sealed partial class InvokerContext : IDisposable
{
    private readonly TortureEngine _engine;
    private readonly PrimitiveStats[] _stats;
    private readonly OwnSlot?[] _ownAsync;
    private readonly OwnSlot?[] _ownDeferred;
    private readonly OwnSlot?[] _ownLazy;
    private readonly List<(SharedDescriptor Descriptor, RacerSide Side)> _raceDescriptors = [];
    private readonly List<(SharedWork Work, RacerSide Side)> _raceWorks = [];
    private readonly List<Request> _limbo = [];
    private long _seq;
    private int _currentTarget = -1;
    private CancellationTokenSource _cts = new();

    /// <summary>The invoker's random source (a mutable struct: use it in place, <c>context.Random.Next(n)</c>).</summary>
    public Rng Random;

    /// <summary>Runs this invoker's requests were accepted for (each target of a many-call counts).</summary>
    public long Accepted;

    /// <summary>Per-core <c>out</c> slots of multi-core waiting calls: the function writes the request id.</summary>
    public readonly long[] OutByCore;

    /// <summary>The cores a no-wait many-call queued to (its descriptor uses, C1).</summary>
    public readonly CoreMask QueuedTo = new();

    public InvokerContext(TortureEngine engine, int index)
    {
        _engine = engine;
        Index = index;
        Set = engine.Set;
        Hotplug = engine.Hotplug;
        CoreCount = engine.CoreCount;
        Random = new Rng(engine.Options.Seed, (ulong)index + 1);
        _stats = new PrimitiveStats[PrimitiveNames.Count];
        for (var i = 0; i < _stats.Length; i++)
        {
            _stats[i] = new PrimitiveStats();
        }

        Pool = new RequestPool(this, Hotplug.Words);
        _ownAsync = new OwnSlot?[CoreCount];
        _ownDeferred = new OwnSlot?[CoreCount];
        _ownLazy = new OwnSlot?[CoreCount];
        OutByCore = new long[CoreCount];
    }

    /// <summary>The engine, for the records (<see cref="Request"/>, <see cref="OwnSlot"/>) and the functions they run.</summary>
    public TortureEngine Engine => _engine;

    /// <summary>The invoker's index (request ids, messages).</summary>
    public int Index { get; }

    public CoreSet Set { get; }

    /// <summary>What the harness knows of which cores are online (and whether that changed during a call).</summary>
    public HotplugState Hotplug { get; }

    public int CoreCount { get; }

    /// <summary>The invoker's free request records.</summary>
    public RequestPool Pool { get; }

    /// <summary>The harness bug switched on, if any (a self-test of the checks).</summary>
    public Sabotage Sabotage => _engine.Sabotage;

    public ViolationLog Violations => _engine.Violations;

    /// <summary>How long after its release a waiter may return before it counts as a lost wake-up.</summary>
    public long WakeSlackTicks => _engine.WakeSlackTicks;

    /// <summary>How long one tight re-queue loop on an own descriptor or work may last.</summary>
    public long SpinBudgetTicks => _engine.SpinBudgetTicks;

    /// <summary>One accepted own claim in this many starts a tight re-queue loop.</summary>
    public int SpinOneIn => _engine.Options.SpinOneIn;

    /// <summary>The shared descriptors this invoker races for (<see cref="Primitive.Async"/>).</summary>
    public IReadOnlyList<(SharedDescriptor Descriptor, RacerSide Side)> RaceDescriptors => _raceDescriptors;

    /// <summary>The shared works this invoker races for (<see cref="Primitive.Deferred"/>).</summary>
    public IReadOnlyList<(SharedWork Work, RacerSide Side)> RaceWorks => _raceWorks;

    /// <summary>The core the current request is aimed at, or -1 (read by the watchdog from its thread).</summary>
    public int CurrentTarget => Volatile.Read(ref _currentTarget); // pairs with Aim's write; a report, nothing is read after it

    public long Nanoseconds(long ticks) => _engine.Nanoseconds(ticks);

    public PrimitiveStats Stats(Primitive p) => _stats[(int)p];

    /// <summary>Records where the current request goes, for the watchdog (<see cref="CurrentTarget"/>).</summary>
    public void Aim(int core) => Volatile.Write(ref _currentTarget, core); // the watchdog's thread reads it (CurrentTarget)

    public long NextId() => ((long)Index << 40) | ++_seq;

    public void AddRace(SharedDescriptor descriptor, RacerSide side) => _raceDescriptors.Add((descriptor, side));

    public void AddRace(SharedWork work, RacerSide side) => _raceWorks.Add((work, side));

    /// <summary>This invoker's own descriptor or work of <paramref name="p"/> aimed at <paramref name="target"/>, made on first use.</summary>
    public OwnSlot OwnSlotFor(Primitive p, int target)
    {
        var slots = p switch
        {
            Primitive.AsyncOwn => _ownAsync,
            Primitive.DeferredOwn => _ownDeferred,
            _ => _ownLazy,
        };
        return slots[target] ??= new OwnSlot(this, p, target);
    }

    /// <summary>A no-wait many-call whose runs were uncertain (hotplug during the call): audited after the final drain.</summary>
    public void AddToLimbo(Request r) => _limbo.Add(r);

    /// <summary>The invoker's reusable token source, reset for a new call (a new one if the last was cancelled).</summary>
    public CancellationTokenSource ReusableCancellation()
    {
        if (!_cts.TryReset())
        {
            _cts.Dispose(); // cancelled, and its call is over: nothing else holds it
            _cts = new CancellationTokenSource();
        }

        return _cts;
    }

    /// <summary>Frees the reusable token source; only once the invoker's loop has finished.</summary>
    public void Dispose() => _cts.Dispose();
}
