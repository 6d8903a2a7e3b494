using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// One request loop (scftorture's invoker kthread): picks a primitive by weight, issues one request, checks what can be
/// checked at once, and counts. Runs either as task-context work on a core (in chunks that yield, so the core keeps
/// serving; its waits exercise O8) or on a plain thread outside the set. The primitives sit behind
/// <see cref="ITorturePrimitive"/> and work through the invoker's <see cref="InvokerContext"/>; the invoker owns the
/// loops, the choice of primitive and the progress the watchdog reads.
/// </summary>
internal sealed class Invoker : IDisposable
{
    private const int ChunkSize = 64;

    private readonly CoreSet _set;
    private readonly Func<Task> _chunk;
    private int _currentPrimitive = -1;
    private long _opStart;

    public Invoker(TortureEngine engine, int index, int homeCore)
    {
        Engine = engine;
        Index = index;
        HomeCore = homeCore;
        _set = engine.Set;
        Context = new InvokerContext(engine, index);
        _chunk = ChunkAsync;
    }

    public TortureEngine Engine { get; }

    public int Index { get; }

    /// <summary>The core this invoker runs on as task-context work, or -1 for a thread outside the set.</summary>
    public int HomeCore { get; }

    /// <summary>What the primitives work with: the random source, the records, the counters and the checks.</summary>
    public InvokerContext Context { get; }

    /// <summary>Requests done (progress; read racily by the watchdog and the display).</summary>
    public long Ops;

    public bool Finished { get; private set; }

    public PrimitiveStats Stats(Primitive p) => Context.Stats(p);

    /// <summary>Frees the context's reusable token source; only once this invoker's loop has finished.</summary>
    public void Dispose() => Context.Dispose();

    public void AddRace(SharedDescriptor descriptor, RacerSide side) => Context.AddRace(descriptor, side);

    public void AddRace(SharedWork work, RacerSide side) => Context.AddRace(work, side);

    /// <summary>This invoker's own deferred works (synced in the final flush).</summary>
    public IEnumerable<DeferredWork> OwnWorks() => Context.OwnWorks();

    /// <summary>After the final drain: every own claim ran and was seen right; no request is left unfinished.</summary>
    public void FinalAudit() => Context.FinalAudit();

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
        return $"{where}: in {((Primitive)p).Name()} -> core {Context.CurrentTarget} for {since:F0} ms ({Volatile.Read(ref Ops)} done)";
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
                var p = Engine.Options.Weights.Pick(ref Context.Random);
                Begin(p);
                try
                {
                    Complete(TorturePrimitives.For(p).Execute(Context, blocking: true));
                }
                catch (Exception ex)
                {
                    Engine.Unexpected(p, ex);
                }

                End();
                if (gapTicks > 0)
                {
                    // A random gap between half and all of the option's value.
                    var ticks = (gapTicks / 2) + Context.Random.Next((int)Math.Min(int.MaxValue, (gapTicks / 2) + 1));
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
            var p = Engine.Options.Weights.Pick(ref Context.Random);
            Begin(p);
            try
            {
                var primitive = TorturePrimitives.For(p);
                if (primitive.MayAwait)
                {
                    await primitive.Execute(Context, blocking: false); // resumes on this core
                    CheckOnHomeCore(p);
                }
                else
                {
                    Complete(primitive.Execute(Context, blocking: false));
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
        Context.Aim(-1);
        Volatile.Write(ref _currentPrimitive, (int)p);
    }

    private void End()
    {
        Volatile.Write(ref _currentPrimitive, -1);
        Volatile.Write(ref Ops, Ops + 1); // release; the watchdog and the display read it
    }

    /// <summary>
    /// Completes a primitive's operation on this thread: one that never awaited (a blocking run, or a primitive that
    /// does not await) is complete already; an outside invoker's await blocks here while its continuations run on the
    /// thread pool.
    /// </summary>
    private static void Complete(ValueTask operation)
    {
        if (operation.IsCompleted)
        {
            operation.GetAwaiter().GetResult();
        }
        else
        {
            operation.AsTask().GetAwaiter().GetResult();
        }
    }
}
