using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// One request loop (scftorture's invoker kthread): picks a primitive by weight, issues one request, checks what can be
/// checked at once, and counts. Runs either as task-context work on a core (in chunks that yield, so the core keeps
/// serving; its waits exercise O8) or on a plain thread outside the set.
/// </summary>
internal sealed partial class Invoker : IDisposable
{
    private const int SpinAttempts = 256;
    private const int ChunkSize = 64;

    private readonly CoreSet _set;
    private readonly HotplugState _hot;
    private readonly int _n;
    private readonly PrimitiveStats[] _stats;
    private readonly RequestPool _pool;
    private readonly OwnSlot?[] _ownAsync;
    private readonly OwnSlot?[] _ownDeferred;
    private readonly OwnSlot?[] _ownLazy;
    private readonly List<(SharedDescriptor Descriptor, RacerSide Side)> _raceDescriptors = [];
    private readonly List<(SharedWork Work, RacerSide Side)> _raceWorks = [];
    private readonly List<Request> _limbo = [];
    private readonly CoreMask _queuedTo = new(); // the cores a no-wait many-call queued to (its descriptor uses)
    private readonly Func<Task> _chunk;
    private Rng _rng;
    private long _seq;
    private int _currentPrimitive = -1;
    private int _currentTarget = -1;
    private long _opStart;
    private CancellationTokenSource _cts = new();

    public Invoker(TortureEngine engine, int index, int homeCore)
    {
        Engine = engine;
        Index = index;
        HomeCore = homeCore;
        _set = engine.Set;
        _hot = engine.Hotplug;
        _n = engine.CoreCount;
        _rng = new Rng(engine.Options.Seed, (ulong)index + 1);
        _stats = new PrimitiveStats[PrimitiveNames.Count];
        for (var i = 0; i < _stats.Length; i++)
        {
            _stats[i] = new PrimitiveStats();
        }

        _pool = new RequestPool(this, _hot.Words);
        _ownAsync = new OwnSlot?[_n];
        _ownDeferred = new OwnSlot?[_n];
        _ownLazy = new OwnSlot?[_n];
        OutByCore = new long[_n];
        _chunk = ChunkAsync;
    }

    public TortureEngine Engine { get; }

    public int Index { get; }

    /// <summary>The core this invoker runs on as task-context work, or -1 for a thread outside the set.</summary>
    public int HomeCore { get; }

    /// <summary>Requests done (progress; read racily by the watchdog and the display).</summary>
    public long Ops;

    /// <summary>Runs this invoker's requests were accepted for (each target of a many-call counts).</summary>
    public long Accepted;

    /// <summary>Per-core <c>out</c> slots of multi-core waiting calls: the function writes the request id.</summary>
    public readonly long[] OutByCore;

    public bool Finished { get; private set; }

    public PrimitiveStats Stats(Primitive p) => _stats[(int)p];

    /// <summary>Frees the reusable token source; only once this invoker's loop has finished.</summary>
    public void Dispose() => _cts.Dispose();

    public void AddRace(SharedDescriptor descriptor, RacerSide side) => _raceDescriptors.Add((descriptor, side));

    public void AddRace(SharedWork work, RacerSide side) => _raceWorks.Add((work, side));

    /// <summary>What the invoker is doing now, for the watchdog.</summary>
    public string DescribeCurrent()
    {
        var p = Volatile.Read(ref _currentPrimitive);
        var where = HomeCore >= 0 ? $"invoker {Index} (task context on core {HomeCore})" : $"invoker {Index} (outside thread)";
        if (Finished)
        {
            return $"{where}: finished after {Volatile.Read(ref Ops)} requests";
        }

        if (p < 0)
        {
            return $"{where}: between requests ({Volatile.Read(ref Ops)} done)";
        }

        var since = Engine.Nanoseconds(Stopwatch.GetTimestamp() - Volatile.Read(ref _opStart)) / 1_000_000.0;
        return $"{where}: in {((Primitive)p).Name()} -> core {Volatile.Read(ref _currentTarget)} for {since:F0} ms ({Volatile.Read(ref Ops)} done)";
    }


    /// <summary>The loop of an invoker on a plain thread outside the set.</summary>
    public void RunOutside()
    {
        var gapTicks = (long)(Engine.Options.OutsideGap.TotalSeconds * Stopwatch.Frequency);
        _ = SenderThread.ForCurrentThread(Engine); // registers this thread with the sampler before its first wait
        try
        {
            while (Engine.ShouldContinue(this))
            {
                var p = Engine.Options.Weights.Pick(ref _rng);
                Begin(p);
                try
                {
                    RunOne(p, blocking: true);
                }
                catch (Exception ex)
                {
                    Engine.Unexpected(p, ex);
                }

                End();
                if (gapTicks > 0)
                {
                    // A random gap between half and all of the option's value.
                    var ticks = (gapTicks / 2) + _rng.Next((int)Math.Min(int.MaxValue, (gapTicks / 2) + 1));
                    FunctionDelay.Spin(ticks * 1_000_000.0 / Stopwatch.Frequency);
                }
            }
        }
        finally
        {
            Finished = true;
        }
    }

    /// <summary>The driver of an invoker on a core: submits chunks as task-context work while the core is online.</summary>
    public async Task DriveAsync()
    {
        try
        {
            while (Engine.ShouldContinue(this))
            {
                if (!_set.IsOnline(HomeCore))
                {
                    await Task.Delay(1).ConfigureAwait(false); // scftorture: while its CPU is offline, sleep and poll
                    continue;
                }

                try
                {
                    await _set.RunAsync(HomeCore, _chunk).ConfigureAwait(false);
                }
                catch (CoreOfflineException)
                {
                    // Went offline between the check and the submit: wait for it to come back.
                }
            }
        }
        finally
        {
            Finished = true;
        }
    }

    /// <summary>A chunk of requests in task context on the home core; returns when the core goes offline.</summary>
    private async Task ChunkAsync()
    {
        _ = SenderThread.ForCurrentThread(Engine); // this core's thread: registered with the sampler before its first wait
        for (var n = 1; n <= ChunkSize && Engine.ShouldContinue(this) && _set.IsOnline(HomeCore); n++)
        {
            var p = Engine.Options.Weights.Pick(ref _rng);
            Begin(p);
            try
            {
                if (p is Primitive.Task or Primitive.SingleRpc or Primitive.Await)
                {
                    await (p switch
                    {
                        Primitive.Task => OpTask(blocking: false),
                        Primitive.SingleRpc => OpRpc(blocking: false),
                        _ => OpAwait(),
                    }); // resumes on this core
                    CheckOnHomeCore(p);
                }
                else
                {
                    RunOne(p, blocking: false);
                }
            }
            catch (Exception ex)
            {
                Engine.Unexpected(p, ex);
            }

            End();
            if ((n & 15) == 0)
            {
                await Task.Yield(); // let the core run other task-context work queued behind us
                CheckOnHomeCore(null);
            }
        }
    }

    private void CheckOnHomeCore(Primitive? p)
    {
        var here = _set.CurrentCore;
        if (here != HomeCore)
        {
            Engine.Violations.Add(ViolationKind.ResumedElsewhere, p, $"invoker {Index}'s task-context loop for core {HomeCore} resumed on {(here < 0 ? "a thread outside the set" : $"core {here}")} after an await");
        }
    }

    private void Begin(Primitive p)
    {
        Volatile.Write(ref _opStart, Stopwatch.GetTimestamp());
        Volatile.Write(ref _currentTarget, -1);
        Volatile.Write(ref _currentPrimitive, (int)p);
    }

    private void End()
    {
        Volatile.Write(ref _currentPrimitive, -1);
        Volatile.Write(ref Ops, Ops + 1); // release; the watchdog and the display read it
    }

    private void RunOne(Primitive p, bool blocking)
    {
        switch (p)
        {
            case Primitive.Single:
                OpSingle(wait: false);
                break;
            case Primitive.SingleWait:
                OpSingle(wait: true);
                break;
            case Primitive.SingleRpc:
                Block(OpRpc(blocking));
                break;
            case Primitive.Async:
                OpAsyncShared();
                break;
            case Primitive.AsyncOwn:
            case Primitive.DeferredOwn:
            case Primitive.DeferredLazy:
                OpOwn(p);
                break;
            case Primitive.Many:
                OpMany(wait: false);
                break;
            case Primitive.ManyWait:
                OpMany(wait: true);
                break;
            case Primitive.EachCond:
                OpEachCond();
                break;
            case Primitive.Any:
                OpAny();
                break;
            case Primitive.Task:
                Block(OpTask(blocking));
                break;
            case Primitive.Deferred:
                OpDeferredShared();
                break;
            case Primitive.Await:
                var op = OpAwait(); // its continuations run on the thread pool while this outside thread waits
                if (op.IsCompleted)
                {
                    op.GetAwaiter().GetResult();
                }
                else
                {
                    op.AsTask().GetAwaiter().GetResult();
                }

                break;
        }
    }

    /// <summary>Completes an operation that was run in blocking mode (it never awaited, so it is complete).</summary>
    private static void Block(ValueTask operation) => operation.GetAwaiter().GetResult();
}
