using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// The functions the torture sends to the cores (scftorture's <c>scf_handler</c>/<c>scf_handler_1</c>). Each one, in
/// handler context: loads what the caller wrote before the call (first, before anything that fences), checks that it
/// runs on a core it was meant for, marks its run (a second run is a duplicate), counts it, spins a random delay,
/// writes its <c>out</c> result, and finally releases the record. Cached static delegates: nothing allocates.
/// </summary>
internal static class Functions
{
    public static readonly Action<Request> RequestRun = RunRequest;
    public static readonly Action<int, Request> RequestRunOnCore = RunRequestOnCore;
    public static readonly Func<int, Request, int> RequestRunOnCoreWithResult = RunRequestOnCoreWithResult;
    public static readonly Func<int, Request, bool> Condition = EvaluateCondition;
    public static readonly Action<Request> TaskBody = RunTaskBody;
    public static readonly Action<Request> Nested = RunNested;
    public static readonly Action<SharedDescriptor> SharedDescriptorRun = RunSharedDescriptor;
    public static readonly Action<SharedWork> SharedWorkRun = RunSharedWork;
    public static readonly Action<OwnSlot> OwnRun = RunOwn;
    public static readonly Action<int> Noop = static _ => { };
    public static readonly Func<(Request R, long Id), long> AwaitRunWithResult = RunAwait;
    public static readonly Action<(Request R, long Id)> AwaitRun = static s => RunAwait(s);

    /// <summary>Spins its core for the given microseconds (handler context): a call queued behind it waits, so a cancellation lands while it is queued.</summary>
    public static readonly Action<int> Block = static microseconds => FunctionDelay.Spin(microseconds);

    /// <summary>The result an awaited call's function returns: a function of the request id it was given and the core it ran on.</summary>
    public static long AwaitResult(long id, int core) => unchecked((id * 31) + core + 1);

    /// <summary>
    /// An awaited call's run. Its state carries the request id it was issued for: a run whose record has since been
    /// retired by the caller (the task ended canceled or offline, or the call already completed) is a run that must
    /// never happen (C12).
    /// </summary>
    private static long RunAwait((Request R, long Id) s)
    {
        var r = s.R;
        var inFlag = r.In; // the caller's write before the call (O2 publishes it)
        var engine = r.Engine;
        var core = engine.Set.CurrentCore;
        var first = core < 0 || r.MarkRun(core);

        // Full fence above (the Or in MarkRun); pairs with the caller's retiring Exchange of Id followed by its read of
        // RunBits: either this run sees the retired id, or the caller sees this run's bit.
        if (Volatile.Read(ref r.Id) != s.Id)
        {
            engine.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {s.Id} ran on core {core} after its caller had finished with it (its task had ended canceled or offline, or it had already completed)");
            return 0;
        }

        if (!first)
        {
            engine.Violations.Add(ViolationKind.Duplicate, Primitive.Await, $"await request {s.Id} ran twice on core {core}");
        }

        if (core != r.Intended)
        {
            engine.Violations.Add(ViolationKind.WrongCore, Primitive.Await, $"await request {s.Id} for core {r.Intended} ran on core {core}");
        }

        if (inFlag != 1)
        {
            engine.Violations.Add(ViolationKind.MissedCallerWrite, Primitive.Await, $"await request {s.Id} on core {core} did not see the caller's in-flag written before the call");
        }

        r.RanOn = core;
        engine.CountExecuted(core);
        FunctionDelay.Run(engine.Delay);
        if (engine.Sabotage != Sabotage.SkipOut)
        {
            r.Out = 1; // plain: the awaiter must see it through the task's completion
        }

        Interlocked.Decrement(ref r.Remaining); // the awaiter checks the countdown after the await
        return AwaitResult(s.Id, core);
    }

    /// <summary>A many-call's or any-call's run: the core id it is told must be the core it runs on.</summary>
    private static void RunRequestOnCore(int told, Request r)
    {
        var core = r.Engine.Set.CurrentCore;
        if (told != core)
        {
            r.Engine.Violations.Add(ViolationKind.WrongCore, r.Primitive, $"{r.Primitive.Name()} request {r.Id} was told core {told} but ran on core {core}");
        }

        RunRequest(r);
    }

    /// <summary>As <see cref="RunRequestOnCore"/>, returning the id it was told (the caller checks the result comes back).</summary>
    private static int RunRequestOnCoreWithResult(int told, Request r)
    {
        RunRequestOnCore(told, r);
        return told;
    }

    private static void RunRequest(Request r)
    {
        var inFlag = r.In; // the caller's write before the call (scftorture's scfc_in; O2 publishes it)
        var engine = r.Engine;
        var core = engine.Set.CurrentCore;
        if (Volatile.Read(ref r.Phase) == Request.PhaseFree) // acquire; the finalizer's reset happens before the record is reused
        {
            engine.Violations.Add(ViolationKind.Duplicate, r.Primitive, $"{r.Primitive.Name()} request {r.Id} ran on core {core} after it had completed");
            return;
        }

        if (!Allowed(r, core))
        {
            engine.Violations.Add(ViolationKind.WrongCore, r.Primitive, $"{r.Primitive.Name()} request {r.Id} of invoker {r.Owner.Index} for {Wanted(r)} ran on core {core}");
        }

        if (inFlag != 1)
        {
            engine.Violations.Add(ViolationKind.MissedCallerWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id} on core {core} did not see the caller's in-flag written before the call");
        }

        if (core >= 0 && !r.MarkRun(core))
        {
            engine.Violations.Add(ViolationKind.Duplicate, r.Primitive, $"{r.Primitive.Name()} request {r.Id} ran twice on core {core}");
        }

        if (!r.Wait && core >= 0 && r.Sender is { } track && core != track.OwnCore)
        {
            // One of the sender thread's no-wait descriptors for this core (a slot of its ring) was released just before
            // this function (C1): a later no-wait call from that thread that waited for it must return soon after this.
            track.RecordRelease(core, Stopwatch.GetTimestamp());
        }

        r.RanOn = core;
        engine.CountExecuted(core);
        FunctionDelay.Run(engine.Delay);
        r.FinishedAt = Stopwatch.GetTimestamp();

        if (engine.Sabotage != Sabotage.SkipOut)
        {
            if (r.Primitive.IsMultiTarget())
            {
                if (r.Wait && core >= 0)
                {
                    r.Owner.OutByCore[core] = r.Id; // plain: the waiter must see it through the release (O4)
                }
            }
            else
            {
                r.Out = 1; // plain: scftorture's scfc_out
            }
        }

        if (r.Rpc)
        {
            // The RPC's completion is the function's last touch: the invoker recycles the record after it.
            if (r.UseValueTask)
            {
                r.Complete();
            }
            else
            {
                Volatile.Write(ref r.Done, 1); // release; pairs with the invoker's acquire spin
            }

            return;
        }

        // Last touch: whoever brings the countdown to zero finalizes (full fence: everything above is visible to it).
        if (Interlocked.Decrement(ref r.Remaining) == 0)
        {
            r.Owner.Finalize(r);
        }
    }

    private static bool Allowed(Request r, int core)
    {
        if (core < 0)
        {
            return false;
        }

        return r.Primitive switch
        {
            Primitive.Many or Primitive.ManyWait => r.MaskContains(core) && core != r.SelfCore,
            Primitive.EachCond => ((Volatile.Read(ref r.ExpectedBits[core >> 6]) >> (core & 63)) & 1) != 0, // acquire; the condition set it before queueing
            Primitive.Any => r.MaskContains(core),
            _ => core == r.Intended,
        };
    }

    private static string Wanted(Request r) => r.Primitive switch
    {
        Primitive.Many or Primitive.ManyWait => $"mask {r.Mask?.ToString() ?? "all"} except core {r.SelfCore}",
        Primitive.EachCond => "the cores its condition chose",
        Primitive.Any => $"mask {r.Mask?.ToString() ?? "all"}",
        _ => $"core {r.Intended}",
    };

    /// <summary>each_cond's condition: evaluated on the calling thread (C3); a true answer means "queued".</summary>
    private static bool EvaluateCondition(int core, Request r)
    {
        Request.Set(r.CondCalled, core);
        if (Environment.CurrentManagedThreadId != r.CallerThread)
        {
            r.Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id}: the condition for core {core} ran off the calling thread");
        }

        var x = (r.CondSeed ^ ((ulong)(core + 1) * 0x9E3779B97F4A7C15UL)) * 0xBF58476D1CE4E5B9UL;
        var take = (x >> 62) != 0; // about 3 in 4
        if (take)
        {
            var word = r.ExpectedBits[core >> 6] | (1UL << (core & 63));
            Volatile.Write(ref r.ExpectedBits[core >> 6], word); // release; the push that follows publishes it (O2)
        }

        return take;
    }

    /// <summary>The plain task-context body (C5): may block; sometimes makes a nested waiting call.</summary>
    private static void RunTaskBody(Request r)
    {
        var inFlag = r.In;
        var engine = r.Engine;
        var core = engine.Set.CurrentCore;
        if (core != r.Intended)
        {
            engine.Violations.Add(ViolationKind.WrongCore, Primitive.Task, $"task request {r.Id} for core {r.Intended} ran on core {core}");
        }

        if (inFlag != 1)
        {
            engine.Violations.Add(ViolationKind.MissedCallerWrite, Primitive.Task, $"task request {r.Id} on core {core} did not see the caller's in-flag");
        }

        if (r.NestedTarget >= 0)
        {
            // Task context may wait: a waiting call from here exercises O8 (this core keeps serving while it waits).
            var result = TortureCalls.Single(engine.Set, r.NestedTarget, Nested, r, wait: true);
            if (result == CallResult.Ok && Volatile.Read(ref r.NestedRuns) != 1)
            {
                engine.Violations.Add(ViolationKind.Lost, Primitive.Task, $"task request {r.Id}: a waiting call from task context on core {core} to core {r.NestedTarget} returned before its function ran");
            }
        }

        FinishTaskRun(r, core);
    }

    /// <summary>The async task-context body: it must resume on its core after an await (C5, the core's SynchronizationContext).</summary>
    public static async Task TaskBodyAsync(Request r)
    {
        var inFlag = r.In;
        var engine = r.Engine;
        var set = engine.Set;
        var before = set.CurrentCore;
        if (before != r.Intended)
        {
            engine.Violations.Add(ViolationKind.WrongCore, Primitive.Task, $"async task request {r.Id} for core {r.Intended} started on core {before}");
        }

        if (inFlag != 1)
        {
            engine.Violations.Add(ViolationKind.MissedCallerWrite, Primitive.Task, $"async task request {r.Id} on core {before} did not see the caller's in-flag");
        }

        if (engine.Sabotage == Sabotage.ResumeElsewhere)
        {
            await Task.Delay(1).ConfigureAwait(false);
        }
        else
        {
            await Task.Yield();
        }

        var after = set.CurrentCore;
        if (after != r.Intended)
        {
            engine.Violations.Add(ViolationKind.ResumedElsewhere, Primitive.Task, $"async task request {r.Id} for core {r.Intended} resumed on {(after < 0 ? "a thread outside the set" : $"core {after}")} after an await");
        }

        FinishTaskRun(r, after);
    }

    private static void FinishTaskRun(Request r, int core)
    {
        if (core >= 0 && !r.MarkRun(core))
        {
            r.Engine.Violations.Add(ViolationKind.Duplicate, Primitive.Task, $"task request {r.Id} ran twice on core {core}");
        }

        r.RanOn = core;
        r.Engine.CountExecuted(core);
        if (r.Engine.Sabotage != Sabotage.SkipOut)
        {
            r.Out = 1;
        }

        Interlocked.Decrement(ref r.Remaining); // the invoker finalizes once the task completed
    }

    private static void RunNested(Request r)
    {
        var core = r.Engine.Set.CurrentCore;
        if (core != r.NestedTarget)
        {
            r.Engine.Violations.Add(ViolationKind.WrongCore, Primitive.Task, $"nested call of task request {r.Id} for core {r.NestedTarget} ran on core {core}");
        }

        Interlocked.Increment(ref r.NestedRuns);
    }

    private static void RunSharedDescriptor(SharedDescriptor d)
    {
        // First, before anything that fences: load every racer's datum (O4's store-buffering shape).
        var n = d.Racers.Length;
        Span<long> seen = stackalloc long[4];
        for (var i = 0; i < n; i++)
        {
            seen[i] = Volatile.Read(ref d.Written[i * SharedDescriptor.Stride]);
        }

        var engine = d.Engine;
        var core = engine.Set.CurrentCore;
        if (core != d.Target)
        {
            engine.Violations.Add(ViolationKind.WrongCore, Primitive.Async, $"shared descriptor {d.Id} for core {d.Target} ran on core {core}");
        }

        for (var i = 0; i < n; i++)
        {
            if (seen[i] < d.Seen[i])
            {
                engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"shared descriptor {d.Id}: a run saw racer {i}'s datum {seen[i]} after an earlier run saw {d.Seen[i]}");
            }

            d.Seen[i] = seen[i]; // runs are serialized on the target core
        }

        Interlocked.Increment(ref d.Runs);
        engine.CountExecuted(core);
        FunctionDelay.Run(engine.Delay);
    }

    private static void RunSharedWork(SharedWork w)
    {
        var n = w.Racers.Length;
        Span<long> seen = stackalloc long[4];
        for (var i = 0; i < n; i++)
        {
            seen[i] = Volatile.Read(ref w.Written[i * SharedDescriptor.Stride]);
        }

        var engine = w.Engine;
        var core = engine.Set.CurrentCore;
        if (core < 0)
        {
            engine.Violations.Add(ViolationKind.WrongCore, Primitive.Deferred, $"shared work {w.Id} ran on a thread outside the set");
        }
        else
        {
            Interlocked.Increment(ref w.RanOn[core]);
        }

        for (var i = 0; i < n; i++)
        {
            var current = Volatile.Read(ref w.MaxSeen[i]);
            while (current < seen[i])
            {
                var witnessed = Interlocked.CompareExchange(ref w.MaxSeen[i], seen[i], current);
                if (witnessed == current)
                {
                    break;
                }

                current = witnessed;
            }
        }

        Interlocked.Increment(ref w.Runs);
        engine.CountExecuted(core);
        FunctionDelay.Run(engine.Delay);
    }

    private static void RunOwn(OwnSlot s)
    {
        var seen = Volatile.Read(ref s.Written); // first: the load a missing fence lets pass the release (O4, O6)
        var engine = s.Owner.Engine;
        var core = engine.Set.CurrentCore;
        if (core != s.Target)
        {
            engine.Violations.Add(ViolationKind.WrongCore, s.Primitive, s.Describe($"a run happened on core {core}"));
        }

        if (seen < s.LastSeen)
        {
            engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe($"a run saw datum {seen} after an earlier run saw {s.LastSeen}"));
        }

        s.LastSeen = seen;
        s.RecordRun(seen);
        engine.CountExecuted(core);
        FunctionDelay.Run(engine.Delay);
    }
}
