using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace CrossCore.Cli.Torture;

/// <summary>
/// One request loop (scftorture's invoker kthread): picks a primitive by weight, issues one request, checks what can be
/// checked at once, and counts. Runs either as task-context work on a core (in chunks that yield, so the core keeps
/// serving; its waits exercise O8) or on a plain thread outside the set.
/// </summary>
internal sealed class Invoker : IDisposable
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
        NoWaitReleasedAt = new long[_n];
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

    /// <summary>When this invoker's latest no-wait request to each core started running (its descriptor's release).</summary>
    public readonly long[] NoWaitReleasedAt;

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

    // ------------------------------------------------------------------------------------------------------------
    // Loops
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>The loop of an invoker on a plain thread outside the set.</summary>
    public void RunOutside()
    {
        var gapTicks = (long)(Engine.Options.OutsideGap.TotalSeconds * Stopwatch.Frequency);
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

    // ------------------------------------------------------------------------------------------------------------
    // Single-core calls
    // ------------------------------------------------------------------------------------------------------------

    private void OpSingle(bool wait)
    {
        var p = wait ? Primitive.SingleWait : Primitive.Single;
        var st = _stats[(int)p];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        r.Begin(p, NextId());
        r.Intended = target;
        r.Wait = wait;
        Request.Set(r.ExpectedBits, target);
        var sendTo = Engine.Sabotage == Sabotage.WrongCore && _n > 1 ? (target + 1) % _n : target;
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1; // plain: the call's push publishes it (O2); scftorture's scfc_in
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Single(_set, sendTo, Functions.RequestRun, r, wait);
        var t1 = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(sendTo);
        var stable = _hot.Stable(g);
        if (result == CallResult.Ok)
        {
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (stable && !known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, p, $"call to core {sendTo} answered Ok while the core was offline");
            }

            if (wait)
            {
                CheckWokenAfterFunction(r, t1);
                FinishWait(r, 1);
            }
            else
            {
                CheckWokenAfterNoWaitRelease(p, sendTo, t0, t1);
                Release(r, 1);
            }
        }
        else
        {
            st.Offline++;
            if (result != CallResult.Offline || (stable && known))
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, p, $"call to core {sendTo} answered {result} while the core was online");
            }

            Array.Clear(r.ExpectedBits);
            Release(r, 0);
        }
    }

    /// <summary>single_rpc: a no-wait call, then a wait for the completion the function signals (scftorture's RPC).</summary>
    private async ValueTask OpRpc(bool blocking)
    {
        var st = _stats[(int)Primitive.SingleRpc];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        r.Begin(Primitive.SingleRpc, NextId());
        r.Intended = target;
        r.Rpc = true;
        r.UseValueTask = !blocking;
        Request.Set(r.ExpectedBits, target);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var completion = blocking ? default : r.AsValueTask();
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Single(_set, target, Functions.RequestRun, r, wait: false);
        var returned = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(target);
        var stable = _hot.Stable(g);
        if (result == CallResult.Ok)
        {
            CheckWokenAfterNoWaitRelease(Primitive.SingleRpc, target, t0, returned);
            if (blocking)
            {
                var spin = default(SpinWait);
                while (Volatile.Read(ref r.Done) == 0) // acquire; pairs with the function's release
                {
                    spin.SpinOnce(sleep1Threshold: -1);
                }
            }
            else
            {
                await completion; // resumes on this core: the completion posts to its SynchronizationContext
            }

            var t1 = Stopwatch.GetTimestamp();
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (stable && !known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.SingleRpc, $"call to core {target} answered Ok while the core was offline");
            }

            if (r.Out != 1)
            {
                Engine.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.SingleRpc, $"single_rpc request {r.Id}: after its completion the caller did not see the function's out-flag");
            }
        }
        else
        {
            st.Offline++;
            if (stable && known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.SingleRpc, $"call to core {target} answered {result} while the core was online");
            }
        }

        RecycleLocal(r);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Awaitable calls (C12)
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>How an awaited call's cancellation races the core's start of it.</summary>
    private enum CancelMode
    {
        /// <summary>No token.</summary>
        None,

        /// <summary>A token that never fires.</summary>
        Never,

        /// <summary>Cancelled before the call: it must end canceled, never run.</summary>
        Before,

        /// <summary>Cancelled by the caller right after the call returned (the call is queued, or already running).</summary>
        RightAfter,

        /// <summary>Cancelled from a thread-pool thread after a random spin, while the caller awaits.</summary>
        OtherThread,
    }

    /// <summary>
    /// await: <c>InvokeAsync</c> with or without a result, awaited (from an outside thread its continuation runs on the
    /// thread pool; from task context it must resume on the caller's core), with a cancellation racing the start.
    /// Ran: exactly once, on its target, saw the caller's write, its write and result seen by the awaiter. Canceled:
    /// the function never ran, and never runs later (the record's id is retired, a late run sees it).
    /// </summary>
    private async ValueTask OpAwait()
    {
        var st = _stats[(int)Primitive.Await];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        var id = NextId();
        r.Begin(Primitive.Await, id);
        r.Intended = target;
        r.Wait = true;
        Request.Set(r.ExpectedBits, target);
        var sendTo = Engine.Sabotage == Sabotage.WrongCore && _n > 1 ? (target + 1) % _n : target;
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1; // plain: the call's push publishes it (O2)
        }

        var home = _set.CurrentCore;
        var withResult = _rng.OneIn(2);
        var x = _rng.Next(10);
        var mode = x switch
        {
            < 3 => CancelMode.None,
            < 5 => CancelMode.Never,
            5 => CancelMode.Before,
            < 8 => CancelMode.RightAfter,
            _ => CancelMode.OtherThread,
        };
        CancellationTokenSource? cts = null;
        var token = CancellationToken.None;
        if (mode != CancelMode.None)
        {
            // A source handed to another thread is never reused (its Cancel may come after this call is over).
            if (mode == CancelMode.OtherThread)
            {
                cts = new CancellationTokenSource();
            }
            else
            {
                if (!_cts.TryReset())
                {
                    _cts.Dispose(); // cancelled, and its call is over: nothing else holds it
                    _cts = new CancellationTokenSource();
                }

                cts = _cts;
            }

            token = cts.Token;
            if (mode == CancelMode.Before)
            {
                cts.Cancel();
            }
        }

        if (mode is CancelMode.RightAfter or CancelMode.OtherThread && sendTo != home && _rng.OneIn(2))
        {
            // Keep the target busy for a moment, so the cancellation lands while the call is queued behind this.
            try
            {
                _set.Post(sendTo, Functions.Block, 2 + _rng.Next(40));
            }
            catch (CoreOfflineException)
            {
                // then the call below answers offline too (or the core came back): nothing to keep busy
            }
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        ValueTask<long> withValue = default;
        ValueTask withoutValue = default;
        if (withResult)
        {
            withValue = _set.InvokeAsync(sendTo, Functions.AwaitRunWithResult, (r, id), token);
        }
        else
        {
            withoutValue = _set.InvokeAsync(sendTo, Functions.AwaitRun, (r, id), token);
        }

        var known = _hot.IsOnline(sendTo);
        var stable = _hot.Stable(g);
        if (mode == CancelMode.RightAfter)
        {
            cts!.Cancel();
        }
        else if (mode == CancelMode.OtherThread)
        {
            ThreadPool.UnsafeQueueUserWorkItem(static s =>
            {
                FunctionDelay.Spin(s.Spin);
                s.Source.Cancel();
            }, (Source: cts!, Spin: (double)_rng.Next(30)), preferLocal: false);
        }

        var ran = false;
        var offline = false;
        long result = 0;
        try
        {
            if (withResult)
            {
                result = await withValue;
            }
            else
            {
                await withoutValue;
            }

            ran = true;
        }
        catch (OperationCanceledException ex)
        {
            if (ex.CancellationToken != token)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"await request {id}: canceled with a token that is not its own");
            }
        }
        catch (CoreOfflineException ex) when (ex.Core == sendTo)
        {
            offline = true;
        }

        var t1 = Stopwatch.GetTimestamp();
        var after = _set.CurrentCore;
        if (after != home)
        {
            Engine.Violations.Add(ViolationKind.ResumedElsewhere, Primitive.Await,
                $"await request {id} from {(home < 0 ? "a thread outside the set" : $"core {home}'s task context")} resumed on {(after < 0 ? "a thread outside the set" : $"core {after}")}");
        }

        // Retire the id: a run that starts from now on sees it and reports itself. Full fence; pairs with the Or in
        // the function's MarkRun followed by its read of Id (either it sees the retired id, or we see its bit below).
        Interlocked.Exchange(ref r.Id, ~id);
        var runBits = 0UL;
        for (var w = 0; w < r.RunBits.Length; w++)
        {
            runBits |= Volatile.Read(ref r.RunBits[w]);
        }

        if (ran)
        {
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (mode == CancelMode.Before)
            {
                Engine.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {id}: its token was cancelled before the call, yet it ran");
            }
            else if (mode is CancelMode.RightAfter or CancelMode.OtherThread)
            {
                st.CancelTooLate++; // the core started it before the token fired: it completes (C12)
            }

            if (stable && !known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"InvokeAsync to core {sendTo} ran while the core was offline");
            }

            if (withResult && result != Functions.AwaitResult(id, r.RanOn))
            {
                Engine.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.Await, $"await request {id}: the task's result {result} is not its function's ({Functions.AwaitResult(id, r.RanOn)})");
            }

            FinishWait(r, 1); // the countdown (the run happened before the completion) and the function's out-flag
            return;
        }

        if (offline)
        {
            st.Offline++;
            if (stable && known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"InvokeAsync to core {sendTo} answered offline while the core was online");
            }
        }
        else
        {
            st.Cancelled++;
            if (mode != CancelMode.Before)
            {
                st.CancelledQueued++;
            }

            if (mode == CancelMode.None || mode == CancelMode.Never)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Await, $"await request {id}: ended canceled though its token never fired");
            }

            if (Engine.Sabotage == Sabotage.RunCancelled && sendTo != home)
            {
                try
                {
                    _set.Post(sendTo, Functions.AwaitRun, (r, id)); // the late run a correct core never makes
                }
                catch (CoreOfflineException)
                {
                    // nothing to sabotage this time
                }
            }
        }

        if (runBits != 0)
        {
            Engine.Violations.Add(ViolationKind.RanAfterCancel, Primitive.Await, $"await request {id}: its task ended {(offline ? "offline" : "canceled")}, yet its function ran on core {r.RanOn}");
        }

        RecycleLocal(r);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Descriptors and deferred work
    // ------------------------------------------------------------------------------------------------------------

    private void OpAsyncShared()
    {
        var st = _stats[(int)Primitive.Async];
        st.Attempts++;
        if (_raceDescriptors.Count == 0)
        {
            return;
        }

        var (d, side) = _raceDescriptors[_rng.Next(_raceDescriptors.Count)];
        Volatile.Write(ref _currentTarget, d.Target);
        var seq = ++side.Seq;
        Volatile.Write(ref d.Written[side.Slot * SharedDescriptor.Stride], seq); // before the attempt (O4)
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = _set.TryPost(d.Target, d.Descriptor);
        var t1 = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(d.Target);
        var stable = _hot.Stable(g);
        switch (result)
        {
            case CallResult.Ok:
                st.Ok++;
                st.Latency.Record(Engine.Nanoseconds(t1 - t0));
                side.Accepted++;
                side.Guaranteed = seq;
                Accepted++;
                if (stable && !known)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"TryPost to core {d.Target} answered Ok while the core was offline");
                }

                break;
            case CallResult.Busy:
                st.Busy++;
                side.Guaranteed = seq; // the run that comes next must see it (O4)
                break;
            default:
                st.Offline++;
                if (stable && known)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Async, $"TryPost to core {d.Target} answered Offline while the core was online");
                }

                break;
        }
    }

    private void OpOwn(Primitive p)
    {
        var target = PickCore();
        var slots = p switch
        {
            Primitive.AsyncOwn => _ownAsync,
            Primitive.DeferredOwn => _ownDeferred,
            _ => _ownLazy,
        };
        var s = slots[target] ??= new OwnSlot(this, p, target);
        s.Verify(final: false);
        var st = _stats[(int)p];
        var outcome = AttemptOwn(s, st);
        if (outcome == Outcome.Accepted && p != Primitive.DeferredLazy && s.Target != _set.CurrentCore && _rng.OneIn(Engine.Options.SpinOneIn))
        {
            // The tight shape: re-attempt with a new datum each time until the in-flight claim is released and we
            // claim again. The last Busy/Coalesced lands right around the release: exactly the store-buffering window.
            var deadline = Stopwatch.GetTimestamp() + Engine.SpinBudgetTicks;
            for (var i = 0; i < SpinAttempts; i++)
            {
                if (AttemptOwn(s, st) != Outcome.Busy || ((i & 15) == 15 && Stopwatch.GetTimestamp() > deadline))
                {
                    break;
                }
            }
        }
    }

    private enum Outcome
    {
        Accepted,
        Busy,
        Offline,
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private Outcome AttemptOwn(OwnSlot s, PrimitiveStats st)
    {
        st.Attempts++;
        Volatile.Write(ref _currentTarget, s.Target);
        var seq = ++s.Seq;
        var late = Engine.Sabotage == Sabotage.LateWrite;
        if (!late)
        {
            Volatile.Write(ref s.Written, seq); // before the attempt: the rule under test (O4/O6)
        }

        var local = _set.CurrentCore == s.Target;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        Outcome outcome;
        if (s.Descriptor is { } descriptor)
        {
            outcome = _set.TryPost(s.Target, descriptor) switch
            {
                CallResult.Ok => Outcome.Accepted,
                CallResult.Busy => Outcome.Busy,
                _ => Outcome.Offline,
            };
        }
        else
        {
            var work = s.Work!;
            // Queue() goes to the caller's own core, or from outside the set to the work's default core (the target).
            var here = _set.CurrentCore;
            var useQueue = (here < 0 || here == s.Target) && _rng.OneIn(2);
            outcome = (useQueue ? work.Queue() : work.QueueOn(s.Target)) switch
            {
                QueueResult.Queued => Outcome.Accepted,
                QueueResult.Coalesced => Outcome.Busy,
                _ => Outcome.Offline,
            };
        }

        var t1 = Stopwatch.GetTimestamp();
        if (late)
        {
            Volatile.Write(ref s.Written, seq);
        }

        var known = _hot.IsOnline(s.Target);
        var stable = _hot.Stable(g);
        switch (outcome)
        {
            case Outcome.Accepted:
                s.NewClaim(seq);
                st.Ok++;
                st.Latency.Record(Engine.Nanoseconds(t1 - t0));
                Accepted++;
                if (stable && !known && !local)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("accepted while the core was offline"));
                }

                break;
            case Outcome.Busy:
                if (s.Descriptor is not null)
                {
                    st.Busy++;
                }
                else
                {
                    st.Coalesced++;
                }

                if (!s.NoteBusy(seq))
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("answered Busy/Coalesced with nothing in flight"));
                }

                break;
            default:
                st.Offline++;
                if (stable && known)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, s.Primitive, s.Describe("answered Offline while the core was online"));
                }

                break;
        }

        return outcome;
    }

    private void OpDeferredShared()
    {
        var st = _stats[(int)Primitive.Deferred];
        st.Attempts++;
        if (_raceWorks.Count == 0)
        {
            return;
        }

        var (w, side) = _raceWorks[_rng.Next(_raceWorks.Count)];
        var seq = ++side.Seq;
        if (Engine.Sabotage != Sabotage.SkipTrigger)
        {
            Volatile.Write(ref w.Written[side.Slot * SharedDescriptor.Stride], seq); // before the attempt (O6)
        }

        var here = _set.CurrentCore;
        var useQueue = _rng.OneIn(4);
        var target = useQueue ? (here >= 0 ? here : w.Work.DefaultCore) : PickCore();
        Volatile.Write(ref _currentTarget, target);
        var local = target == here;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = useQueue ? w.Work.Queue() : w.Work.QueueOn(target);
        var t1 = Stopwatch.GetTimestamp();
        var known = _hot.IsOnline(target);
        var stable = _hot.Stable(g);
        switch (result)
        {
            case QueueResult.Queued:
                st.Ok++;
                st.Latency.Record(Engine.Nanoseconds(t1 - t0));
                Interlocked.Increment(ref w.ExpectedOn[target]);
                side.Accepted++;
                side.Guaranteed = seq;
                Accepted++;
                if (stable && !known && !local)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Deferred, $"QueueOn({target}) of shared work {w.Id} answered Queued while the core was offline");
                }

                break;
            case QueueResult.Coalesced:
                st.Coalesced++;
                side.Guaranteed = seq; // the pending run must see it (O6)
                break;
            default:
                st.Offline++;
                if (stable && known && !local)
                {
                    Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Deferred, $"QueueOn({target}) of shared work {w.Id} answered Offline while the core was online");
                }

                break;
        }

        if (_rng.OneIn(64))
        {
            w.Work.Sync(); // irq_work_sync: a waiting operation from task context or an outside thread
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Multi-core calls
    // ------------------------------------------------------------------------------------------------------------

    private void OpMany(bool wait)
    {
        var p = wait ? Primitive.ManyWait : Primitive.Many;
        var st = _stats[(int)p];
        st.Attempts++;
        var r = _pool.Take();
        r.Begin(p, NextId());
        r.Wait = wait;
        r.SelfCore = _set.CurrentCore;
        RandomMask(r);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var count = wait ? _set.InvokeMany(r.Mask, Functions.RequestRunOnCore, r) : _set.PostMany(r.Mask, Functions.RequestRunOnCore, r);
        var t1 = Stopwatch.GetTimestamp();

        // Which cores had to run it: the mask's online cores, except the caller's own, if nothing changed meanwhile.
        var expected = 0;
        for (var w = 0; w < r.ExpectedBits.Length; w++)
        {
            var bits = r.MaskBits[w] & _hot.OnlineWord(w);
            if (r.SelfCore >= 0 && (r.SelfCore >> 6) == w)
            {
                bits &= ~(1UL << (r.SelfCore & 63));
            }

            r.ExpectedBits[w] = bits;
            expected += BitOperations.PopCount(bits);
        }

        st.Latency.Record(Engine.Nanoseconds(t1 - t0));
        if (_hot.Stable(g))
        {
            if (count != expected)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, p, $"{p.Name()} request {r.Id} reported {count} cores, but {expected} online cores of its mask had to run it");
            }

            CompleteMasked(r, st, expected, wait);

            return;
        }

        // Hotplug ran during the call: which cores had to run it is uncertain. The function still checks each run's
        // core against the mask and marks it (so a duplicate shows); a waiting call's runs are all done now.
        st.Ok++;
        if (wait)
        {
            var ran = 0;
            for (var w = 0; w < r.RunBits.Length; w++)
            {
                r.ExpectedBits[w] = Volatile.Read(ref r.RunBits[w]);
                ran += BitOperations.PopCount(r.ExpectedBits[w]);
            }

            Accepted += ran;
            FinishWait(r, ran);
        }
        else
        {
            Volatile.Write(ref r.Phase, Request.PhaseLimbo); // audited after the final drain
            _limbo.Add(r);
        }
    }

    private void OpEachCond()
    {
        var st = _stats[(int)Primitive.EachCond];
        st.Attempts++;
        var wait = _rng.OneIn(2);
        var r = _pool.Take();
        r.Begin(Primitive.EachCond, NextId());
        r.Wait = wait;
        r.SelfCore = _set.CurrentCore;
        r.CondSeed = _rng.NextU64();
        r.CallerThread = Environment.CurrentManagedThreadId;
        RandomMask(r);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var count = wait
            ? _set.InvokeOnEach(r.Mask, Functions.Condition, Functions.RequestRunOnCore, r)
            : _set.PostOnEach(r.Mask, Functions.Condition, Functions.RequestRunOnCore, r);
        var t1 = Stopwatch.GetTimestamp();
        var offlineAsked = 0UL;
        var expected = 0;
        for (var w = 0; w < r.ExpectedBits.Length; w++)
        {
            offlineAsked |= r.CondCalled[w] & ~_hot.OnlineWord(w);
            expected += BitOperations.PopCount(r.ExpectedBits[w]); // the condition said yes: queued or run here (C3)
        }

        if (count != expected)
        {
            Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id} reported {count} cores, but its condition chose {expected}");
        }

        if (offlineAsked != 0 && _hot.Stable(g))
        {
            Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.EachCond, $"each_cond request {r.Id}: the condition was evaluated for an offline core");
        }

        st.Latency.Record(Engine.Nanoseconds(t1 - t0));
        CompleteMasked(r, st, expected, wait);
    }

    private void OpAny()
    {
        var st = _stats[(int)Primitive.Any];
        st.Attempts++;
        var r = _pool.Take();
        r.Begin(Primitive.Any, NextId());
        r.Wait = true; // InvokeAny always waits (the kernel's smp_call_function_any with wait=1)
        RandomMask(r);
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var self = _set.CurrentCore;
        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var result = TortureCalls.Any(_set, r.Mask, Functions.RequestRunOnCoreWithResult, r, out var core, out var returned);
        var t1 = Stopwatch.GetTimestamp();
        if (result == CallResult.Ok && returned != core)
        {
            Engine.Violations.Add(ViolationKind.MissedFunctionWrite, Primitive.Any, $"any request {r.Id}: InvokeAny returned {returned} from the function on core {core}");
        }

        var chosenKnown = core >= 0 && _hot.IsOnline(core);
        var selfKnown = self >= 0 && _hot.IsOnline(self);
        var anyOnline = false;
        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            anyOnline |= (r.MaskBits[w] & _hot.OnlineWord(w)) != 0;
        }

        var stable = _hot.Stable(g);
        if (result == CallResult.Ok)
        {
            r.Chosen = core; // before the countdown add: the finalizer compares it with where the function ran
            Request.Set(r.ExpectedBits, core);
            st.Ok++;
            st.Latency.Record(Engine.Nanoseconds(t1 - t0));
            Accepted++;
            if (stable && !chosenKnown)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny chose core {core}, which was offline");
            }

            if (stable && selfKnown && r.MaskContains(self) && core != self)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny from core {self} (online, in the mask) chose core {core} instead of the caller's own (C4)");
            }

            if (core != self)
            {
                CheckWokenAfterFunction(r, t1);
            }

            FinishWait(r, 1);
        }
        else
        {
            st.Offline++;
            if (stable && anyOnline)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Any, $"InvokeAny on mask {r.Mask?.ToString() ?? "all"} answered {result} while a core of it was online");
            }

            Release(r, 0);
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Task context
    // ------------------------------------------------------------------------------------------------------------

    private async ValueTask OpTask(bool blocking)
    {
        var st = _stats[(int)Primitive.Task];
        st.Attempts++;
        var target = PickCore();
        var r = _pool.Take();
        r.Begin(Primitive.Task, NextId());
        r.Intended = target;
        Request.Set(r.ExpectedBits, target);
        r.NestedTarget = _rng.OneIn(4) ? PickCore() : -1;
        if (Engine.Sabotage != Sabotage.SkipIn)
        {
            r.In = 1;
        }

        var g = _hot.Begin();
        var t0 = Stopwatch.GetTimestamp();
        var task = _rng.OneIn(2) ? _set.RunAsync(target, r.AsyncBody) : _set.RunAsync(target, Functions.TaskBody, r);
        var known = _hot.IsOnline(target);
        var stable = _hot.Stable(g);
        var offline = false;
        try
        {
            if (blocking)
            {
                task.GetAwaiter().GetResult();
            }
            else
            {
                await task;
            }
        }
        catch (CoreOfflineException)
        {
            offline = true;
        }

        var t1 = Stopwatch.GetTimestamp();
        if (offline)
        {
            st.Offline++;
            if (stable && known)
            {
                Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Task, $"RunAsync on core {target} failed as offline while the core was online");
            }

            RecycleLocal(r);
            return;
        }

        st.Ok++;
        st.Latency.Record(Engine.Nanoseconds(t1 - t0));
        Accepted++;
        if (stable && !known)
        {
            Engine.Violations.Add(ViolationKind.WrongAnswer, Primitive.Task, $"RunAsync on core {target} was accepted while the core was offline");
        }

        FinishWait(r, 1);
    }

    // ------------------------------------------------------------------------------------------------------------
    // Completion and recycling
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A waiting call must return soon after its function finished: the release wakes the waiter (O7, §5.6). One
    /// that returns long after slept through its wake-up and was rescued by a timeout (a lost wake-up).
    /// </summary>
    private void CheckWokenAfterFunction(Request r, long returned)
    {
        var finished = r.FinishedAt; // written before the release this wait acquired (O4)
        if (finished != 0 && returned - finished > Engine.WakeSlackTicks && r.RanOn != _set.CurrentCore)
        {
            Engine.Violations.Add(ViolationKind.LostWakeup, r.Primitive,
                $"{r.Primitive.Name()} request {r.Id} to core {r.RanOn}: the waiter returned {TortureEngine.Milliseconds(returned - finished):F0} ms after the function had finished (the release did not wake it; a timeout did)");
        }
    }

    /// <summary>
    /// A no-wait call waits only until the sender's previous no-wait call to that core has been dequeued (C1); if it
    /// returned long after that descriptor's release, the release did not wake it (§5.6).
    /// </summary>
    private void CheckWokenAfterNoWaitRelease(Primitive p, int core, long called, long returned)
    {
        if (returned - called <= Engine.WakeSlackTicks)
        {
            return;
        }

        var released = Volatile.Read(ref NoWaitReleasedAt[core]); // written by that core when the previous no-wait call ran
        if (released > called && returned - released > Engine.WakeSlackTicks)
        {
            Engine.Violations.Add(ViolationKind.LostWakeup, p,
                $"a no-wait call to core {core} waited for the sender's previous no-wait call (C1) and returned {TortureEngine.Milliseconds(returned - released):F0} ms after that call's descriptor was released: nothing woke the waiting sender (§5.6)");
        }
    }

    /// <summary>A waiting request returned: every expected run must be done, and its writes visible (O4).</summary>
    /// <summary>The accounting shared by the masked primitives: counts the outcome, then waits for or releases the record.</summary>
    private void CompleteMasked(Request r, PrimitiveStats st, int expected, bool wait)
    {
        Accepted += expected;
        if (expected > 0)
        {
            st.Ok++;
        }
        else
        {
            st.Offline++;
        }

        if (wait)
        {
            FinishWait(r, expected);
        }
        else
        {
            Release(r, expected);
        }
    }

    private void FinishWait(Request r, int expected)
    {
        var left = Interlocked.Add(ref r.Remaining, expected - Request.Bias);
        if (left > 0)
        {
            Engine.Violations.Add(ViolationKind.Lost, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: the wait returned before {left} of its {expected} runs happened");
        }

        CheckFinished(r);
        if (r.Primitive.IsMultiTarget())
        {
            for (var w = 0; w < r.RunBits.Length; w++)
            {
                for (var bits = Volatile.Read(ref r.RunBits[w]); bits != 0; bits &= bits - 1)
                {
                    var core = (w << 6) + BitOperations.TrailingZeroCount(bits);
                    if (OutByCore[core] != r.Id)
                    {
                        Engine.Violations.Add(ViolationKind.MissedFunctionWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: after the wait the caller did not see core {core}'s write");
                    }
                }
            }
        }
        else if (r.Out != 1)
        {
            Engine.Violations.Add(ViolationKind.MissedFunctionWrite, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: after the wait the caller did not see the function's out-flag (scftorture's stnmoe)");
        }

        RecycleLocal(r);
    }

    /// <summary>A no-wait request returned: add the expected runs to the countdown; finalize if they all happened.</summary>
    private void Release(Request r, int expected)
    {
        if (Interlocked.Add(ref r.Remaining, expected - Request.Bias) == 0) // full fence: publishes Expected/Chosen to the finalizer
        {
            Finalize(r);
        }
    }

    /// <summary>Every expected run of a no-wait request happened (called by the last of caller and runs, on any thread).</summary>
    public void Finalize(Request r)
    {
        CheckFinished(r);
        r.Reset();
        _pool.ReturnShared(r);
    }

    private void CheckFinished(Request r)
    {
        if (r.Primitive is Primitive.Many or Primitive.ManyWait)
        {
            for (var w = 0; w < r.RunBits.Length; w++)
            {
                var extra = Volatile.Read(ref r.RunBits[w]) & ~r.ExpectedBits[w];
                if (extra != 0)
                {
                    var core = (w << 6) + BitOperations.TrailingZeroCount(extra);
                    Engine.Violations.Add(ViolationKind.WrongAnswer, r.Primitive, $"{r.Primitive.Name()} request {r.Id}: core {core} ran it, but it was offline (or the caller's own) during the call");
                }
            }
        }
        else if (r.Primitive == Primitive.Any && r.RanOn != r.Chosen)
        {
            Engine.Violations.Add(ViolationKind.WrongCore, Primitive.Any, $"any request {r.Id}: InvokeAny reported core {r.Chosen} but the function ran on core {r.RanOn}");
        }
    }

    private void RecycleLocal(Request r)
    {
        r.Reset();
        _pool.ReturnLocal(r);
    }

    /// <summary>This invoker's own deferred works (synced in the final flush).</summary>
    public IEnumerable<DeferredWork> OwnWorks()
    {
        foreach (var slots in new[] { _ownDeferred, _ownLazy })
        {
            foreach (var s in slots)
            {
                if (s?.Work is { } work)
                {
                    yield return work;
                }
            }
        }
    }

    /// <summary>After the final drain: every own claim ran and was seen right; no request is left unfinished.</summary>
    public void FinalAudit()
    {
        foreach (var slots in new[] { _ownAsync, _ownDeferred, _ownLazy })
        {
            foreach (var s in slots)
            {
                if (s is null)
                {
                    continue;
                }

                s.Verify(final: true);
                if (s.Descriptor?.IsInFlight == true || s.Work?.IsBusy == true)
                {
                    Engine.Violations.Add(ViolationKind.Lost, s.Primitive, s.Describe("still claimed after the final drain (an accepted request never ran)"));
                }
            }
        }

        foreach (var r in _pool.All)
        {
            var phase = Volatile.Read(ref r.Phase);
            if (phase == Request.PhaseActive)
            {
                var ran = 0;
                foreach (var word in r.RunBits)
                {
                    ran += BitOperations.PopCount(word);
                }

                Engine.Violations.Add(ViolationKind.Lost, r.Primitive, $"{r.Primitive.Name()} request {r.Id} of invoker {Index} never completed: {ran} runs, countdown {r.Remaining - Request.Bias:+0;-0} (an accepted request was never run)");
            }
        }

        foreach (var r in _limbo)
        {
            foreach (var word in r.RunBits)
            {
                Accepted += BitOperations.PopCount(word);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------------------
    // Random choices
    // ------------------------------------------------------------------------------------------------------------

    /// <summary>
    /// A random target. One aimed at a core the harness knows is offline is usually re-aimed at an online one (an
    /// Offline answer costs nothing, so otherwise they would crowd out everything else while a core is out); one in
    /// eight keeps exercising the Offline answers.
    /// </summary>
    private int PickCore()
    {
        var core = _rng.Next(_n);
        if (!_hot.IsOnline(core) && !_rng.OneIn(8))
        {
            var start = _rng.Next(_n);
            for (var i = 0; i < _n; i++)
            {
                var c = (start + i) % _n;
                if (_hot.IsOnline(c))
                {
                    core = c;
                    break;
                }
            }
        }

        Volatile.Write(ref _currentTarget, core);
        return core;
    }

    private long NextId() => ((long)Index << 40) | ++_seq;

    /// <summary>A random mask: all cores (null) one time in four, else a random non-empty subset.</summary>
    private void RandomMask(Request r)
    {
        if (_rng.OneIn(4))
        {
            r.Mask = null;
            for (var w = 0; w < r.MaskBits.Length; w++)
            {
                r.MaskBits[w] = ValidBits(w);
            }

            return;
        }

        var mask = r.MaskStorage;
        mask.Clear();
        var any = false;
        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            var bits = _rng.NextU64() & ValidBits(w);
            if (_rng.OneIn(2))
            {
                bits &= _rng.NextU64(); // sparser masks half the time
            }

            r.MaskBits[w] = bits;
            any |= bits != 0;
        }

        if (!any)
        {
            var core = _rng.Next(_n);
            r.MaskBits[core >> 6] |= 1UL << (core & 63);
        }

        for (var w = 0; w < r.MaskBits.Length; w++)
        {
            for (var bits = r.MaskBits[w]; bits != 0; bits &= bits - 1)
            {
                mask.Add((w << 6) + BitOperations.TrailingZeroCount(bits));
            }
        }

        r.Mask = mask;
    }

    private ulong ValidBits(int word)
    {
        var remaining = _n - (word << 6);
        return remaining >= 64 ? ulong.MaxValue : (1UL << remaining) - 1;
    }
}
