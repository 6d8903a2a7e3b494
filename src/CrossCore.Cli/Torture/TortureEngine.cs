using System.Globalization;
using System.Diagnostics;

namespace CrossCore.Cli.Torture;

/// <summary>
/// The torture run (scftorture's module, extended): builds a set, starts the invokers, the hotplug thread and the
/// watchdog, stops them after the duration (or the iterations), drains everything, audits exactly-once and
/// visibility, and produces a <see cref="TortureResult"/> with the verdict.
/// </summary>
/// <remarks>
/// The run happens on a background thread; <see cref="WaitForCompletion"/> returns once it finished or the watchdog
/// declared a hang. After a hang the stuck threads are abandoned (background threads): the CLI exits the process.
/// </remarks>
internal sealed class TortureEngine : IDisposable
{
    private const int ExecutedStride = 8; // one cache line per core's counter

    private readonly long[] _executed;
    private readonly ManualResetEventSlim _done = new(false);
    private readonly ManualResetEventSlim _stopEvent = new(false);
    private readonly double _nanosecondsPerTick = 1e9 / Stopwatch.Frequency;
    private readonly List<Thread> _outsideThreads = [];
    private readonly List<Task> _coreDrivers = [];
    private long _executedOutside;
    private long _progress;
    private long _sabotageCounter;
    private long _starvedWaits;
    private long _starvedWaitMaxTicks;
    private int _finished;
    private bool _allThreadsEnded; // set by the runner before _done.Set(), read after _done is seen set
    private long _startTicks;
    private long _endTicks;
    private volatile bool _stop;
    private volatile bool _interrupted;
    private volatile string _phase = "starting";
    private Watchdog? _watchdog;
    private Thread? _runner;
    private SharedDescriptor[] _sharedDescriptors = [];
    private SharedWork[] _sharedWorks = [];
    private CoreSet? _set;

    public TortureEngine(TortureOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Cores, 1, "cores");
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Cores, TortureOptions.MaxCores, "cores");
        ArgumentOutOfRangeException.ThrowIfNegative(options.OutsideInvokers, "outside invokers");
        CoreInvokers = Math.Clamp(options.CoreInvokers ?? options.Cores, 0, options.Cores);
        if (CoreInvokers == 0 && options.OutsideInvokers == 0)
        {
            throw new ArgumentException("A torture run needs at least one invoker (on the cores or outside).");
        }

        Options = options;
        CoreCount = options.Cores;
        Delay = options.Delay;
        Sabotage = options.Sabotage;
        Violations = new ViolationLog();
        Hotplug = new HotplugState(CoreCount);
        StuckCalls = new StuckCallLog(this);
        _executed = new long[CoreCount * ExecutedStride];
        var rescue = options.StuckCallTimeout > TimeSpan.Zero && options.StuckCallTimeout < TimeSpan.FromSeconds(1) ? options.StuckCallTimeout : TimeSpan.FromSeconds(1);
        var slack = Math.Max(75, rescue.TotalMilliseconds * 0.75);
        WakeSlackTicks = (long)(slack / 1000 * Stopwatch.Frequency);
    }

    public TortureOptions Options { get; }

    public int CoreCount { get; }

    /// <summary>How many cores run an invoker in task context.</summary>
    public int CoreInvokers { get; }

    public DelayKind Delay { get; }

    public Sabotage Sabotage { get; }

    public CoreSet Set => _set ?? throw new InvalidOperationException("The run has not started.");

    public HotplugState Hotplug { get; }

    public ViolationLog Violations { get; }

    /// <summary>Samples the invoker threads' scheduler accounting while the invokers run (Linux), else null.</summary>
    public SchedSampler? Sampler { get; private set; }

    public StuckCallLog StuckCalls { get; }

    public Invoker[] Invokers { get; private set; } = [];

    public HotplugToggler? Toggler { get; private set; }

    /// <summary>The aligned racer (<see cref="TortureOptions.AlignedRace"/>), or null.</summary>
    public AlignedRacer? Racer { get; private set; }

    /// <summary>The park racer on its private set (<see cref="TortureOptions.AlignedRace"/>), or null.</summary>
    public AlignedParkRacer? ParkRacer { get; private set; }

    public string Phase => _phase;

    public TortureResult? Result { get; private set; }

    /// <summary>True once <see cref="Interrupt"/> was called (Ctrl-C or SIGTERM in the CLI).</summary>
    public bool Interrupted => _interrupted;

    /// <summary>
    /// Ends the run early (Ctrl-C, SIGTERM): the invokers stop after their current request, then the run drains,
    /// audits and reports as usual, with the result marked interrupted.
    /// </summary>
    public void Interrupt()
    {
        _interrupted = true;
        _stop = true;
        _stopEvent.Set();
    }

    public TimeSpan Elapsed => _startTicks == 0
        ? TimeSpan.Zero
        : TimeSpan.FromSeconds(((_endTicks != 0 ? _endTicks : Stopwatch.GetTimestamp()) - _startTicks) / (double)Stopwatch.Frequency);

    /// <summary>Runs to completion (or to a declared hang) and returns the result.</summary>
    public TortureResult Run()
    {
        Start();
        _done.Wait();
        return Result!;
    }

    public void Start()
    {
        _set = new CoreSet(new CoreSetOptions
        {
            CoreCount = CoreCount,
            PinToHardwareCpus = Options.Pin,
            PollDuration = Options.PollDuration ?? new CoreSetOptions().PollDuration,
            StuckCallTimeout = Options.StuckCallTimeout,
            OnStuckCall = StuckCalls.Add,
            OnFunctionException = info => Violations.Add(
                ViolationKind.Exception, null, $"function {info.FunctionName} threw on core {info.Core}: {info.Exception.GetType().Name}: {info.Exception.Message}"),
            Name = "torture",
        });

        Sampler = OperatingSystem.IsLinux() ? new SchedSampler() : null;
        var invokers = new List<Invoker>();
        for (var c = 0; c < CoreInvokers; c++)
        {
            invokers.Add(new Invoker(this, invokers.Count, c));
        }

        for (var i = 0; i < Options.OutsideInvokers; i++)
        {
            invokers.Add(new Invoker(this, invokers.Count, -1));
        }

        Invokers = [.. invokers];
        BuildSharedObjects();

        _runner = new Thread(RunnerMain) { IsBackground = true, Name = "torture runner" };
        _runner.Start();
    }

    /// <summary>
    /// Frees the run's events, the watchdog's and the hotplug thread's stop events and the invokers' token sources,
    /// once a run has ended normally (or never started). After a declared hang or a failure of the harness some
    /// threads are abandoned and may still wait on these, so then nothing is freed (the CLI exits the process).
    /// </summary>
    public void Dispose()
    {
        if (_runner is not null && !(_done.IsSet && _allThreadsEnded))
        {
            return;
        }

        _runner?.Join(); // it has set _done: only its return is left
        Sampler?.Dispose(); // stopped already once the invokers ended, unless the run failed before that
        _watchdog?.Dispose();
        Toggler?.Dispose();
        Racer?.Dispose();
        ParkRacer?.Dispose();
        foreach (var invoker in Invokers)
        {
            invoker.Dispose();
        }

        _done.Dispose();
        _stopEvent.Dispose();
    }

    /// <summary>True once the run has a result (finished or hung).</summary>
    public bool WaitForCompletion(TimeSpan timeout) => _done.Wait(timeout);

    /// <summary>Shared descriptors and works: one per invoker, each raced by up to four consecutive invokers.</summary>
    private void BuildSharedObjects()
    {
        var rng = new Rng(Options.Seed, 0x5A4ED);
        var t = Invokers.Length;
        var racersPer = Math.Min(4, t);
        var count = Math.Clamp(Options.SharedObjects ?? t, 1, t);
        _sharedDescriptors = new SharedDescriptor[count];
        _sharedWorks = new SharedWork[count];
        for (var j = 0; j < count; j++)
        {
            var racers = new Invoker[racersPer];
            for (var k = 0; k < racersPer; k++)
            {
                racers[k] = Invokers[(j + k) % t];
            }

            var d = new SharedDescriptor(this, j, rng.Next(CoreCount), racers);
            _sharedDescriptors[j] = d;
            foreach (var side in d.Racers)
            {
                side.Invoker.AddRace(d, side);
            }

            var options = j % 4 == 3 ? DeferredWorkOptions.Immediate : DeferredWorkOptions.None;
            var w = new SharedWork(this, j, racers, options, rng.Next(CoreCount));
            _sharedWorks[j] = w;
            foreach (var side in w.Racers)
            {
                side.Invoker.AddRace(w, side);
            }
        }
    }

    private void RunnerMain()
    {
        try
        {
            _startTicks = Stopwatch.GetTimestamp();
            TimeSpan? deadline = Options.Iterations > 0 ? null : Options.Duration + TimeSpan.FromSeconds(60);
            _watchdog = new Watchdog(this, deadline);
            _watchdog.Start();
            RuntimeFaults.Apply(Options.Fault, Options.FaultCount);
            if (Options.Hotplug)
            {
                Toggler = new HotplugToggler(this);
                Toggler.Start();
            }

            if (Options.AlignedRace)
            {
                Racer = new AlignedRacer(this);
                Racer.Start();
                ParkRacer = new AlignedParkRacer(this);
                ParkRacer.Start();
            }

            _phase = "running";
            foreach (var invoker in Invokers)
            {
                if (invoker.HomeCore >= 0)
                {
                    _coreDrivers.Add(Task.Run(invoker.DriveAsync));
                }
                else
                {
                    var thread = new Thread(invoker.RunOutside) { IsBackground = true, Name = $"torture invoker {invoker.Index}" };
                    _outsideThreads.Add(thread);
                    thread.Start();
                }
            }

            if (Options.Iterations <= 0)
            {
                _stopEvent.Wait(Options.Duration);
                _stop = true;
            }

            _phase = "stopping invokers";
            foreach (var thread in _outsideThreads)
            {
                thread.Join();
            }

            Task.WaitAll([.. _coreDrivers]);
            Racer?.Stop(Options.MinAlignedRounds);
            ParkRacer?.Stop();
            _endTicks = Stopwatch.GetTimestamp();
            Sampler?.Dispose(); // the invokers have ended: nothing judges a late return any more
            Progress();

            _phase = "stopping hotplug";
            Toggler?.Stop();
            Progress();

            // Final flush (scftorture's cleanup smp_call_function(wait=1)): twice, since a batch runs its sync calls
            // first (§5.1) and async entries detached with them run after; then every deferred work's last run.
            _phase = "final flush";
            for (var round = 0; round < 2; round++)
            {
                Set.InvokeOnEach(null, null, static (_, _) => { }, 0);
                Progress();
            }

            foreach (var w in _sharedWorks)
            {
                w.Work.Sync();
                Progress();
            }

            foreach (var invoker in Invokers)
            {
                foreach (var work in invoker.OwnWorks())
                {
                    work.Sync();
                    Progress();
                }
            }

            // Dispose runs whatever is still accepted (C9), then every core thread is joined: all runs are done and
            // their plain writes visible to this thread.
            _phase = "dispose";
            Set.Dispose();
            Progress();
            if (Options.Fault != RuntimeFault.None)
            {
                RuntimeFaults.Reset();
            }

            _phase = "post-dispose checks";
            try
            {
                Set.Invoke(0, Functions.Noop, 0);
                Violations.Add(ViolationKind.WrongAnswer, null, "a call after Dispose did not throw ObjectDisposedException (C9)");
            }
            catch (ObjectDisposedException)
            {
                // C9: as specified.
            }

            _phase = "verify";
            Verify();
            _allThreadsEnded = true;
            Finish(hang: null);
        }
        catch (Exception ex)
        {
            Violations.Add(ViolationKind.Exception, null, $"the torture harness failed in phase '{_phase}': {ex}");
            Finish(hang: null);
        }
    }

    /// <summary>The end-of-run audit: exactly-once per object and in total, visibility of the last writes.</summary>
    private void Verify()
    {
        foreach (var invoker in Invokers)
        {
            invoker.FinalAudit();
        }

        foreach (var d in _sharedDescriptors)
        {
            var ok = 0L;
            foreach (var side in d.Racers)
            {
                ok += side.Accepted;
            }

            if (d.Runs < ok)
            {
                Violations.Add(ViolationKind.Lost, Primitive.Async, ok - d.Runs, $"shared descriptor {d.Id} (core {d.Target}): {ok} Ok answers but {d.Runs} runs");
            }
            else if (d.Runs > ok)
            {
                Violations.Add(ViolationKind.Duplicate, Primitive.Async, d.Runs - ok, $"shared descriptor {d.Id} (core {d.Target}): {ok} Ok answers but {d.Runs} runs");
            }

            if (d.Descriptor.IsInFlight)
            {
                Violations.Add(ViolationKind.Lost, Primitive.Async, $"shared descriptor {d.Id} (core {d.Target}) is still in flight after the final drain");
            }

            foreach (var side in d.Racers)
            {
                if (d.Seen[side.Slot] < side.Guaranteed)
                {
                    Violations.Add(ViolationKind.BusyNotSeen, Primitive.Async,
                        $"shared descriptor {d.Id} (core {d.Target}): the last run saw invoker {side.Invoker.Index}'s datum {d.Seen[side.Slot]}, but datum {side.Guaranteed} was written before an attempt that answered Ok or Busy");
                }
            }
        }

        foreach (var w in _sharedWorks)
        {
            long expected = 0, ran = 0;
            for (var c = 0; c < CoreCount; c++)
            {
                expected += w.ExpectedOn[c];
                ran += w.RanOn[c];
            }

            if (ran < expected)
            {
                Violations.Add(ViolationKind.Lost, Primitive.Deferred, expected - ran, $"shared work {w.Id}: {expected} Queued answers but {ran} runs");
            }
            else if (ran > expected)
            {
                Violations.Add(ViolationKind.Duplicate, Primitive.Deferred, ran - expected, $"shared work {w.Id}: {expected} Queued answers but {ran} runs");
            }
            else
            {
                for (var c = 0; c < CoreCount; c++)
                {
                    if (w.ExpectedOn[c] != w.RanOn[c])
                    {
                        Violations.Add(ViolationKind.WrongCore, Primitive.Deferred, $"shared work {w.Id}: queued {w.ExpectedOn[c]} times on core {c} but ran {w.RanOn[c]} times there");
                        break;
                    }
                }
            }

            if (w.Work.IsBusy || w.Work.IsPending)
            {
                Violations.Add(ViolationKind.Lost, Primitive.Deferred, $"shared work {w.Id} is still claimed after the final drain");
            }

            foreach (var side in w.Racers)
            {
                if (w.MaxSeen[side.Slot] < side.Guaranteed)
                {
                    Violations.Add(ViolationKind.LastTriggerLost, Primitive.Deferred,
                        $"shared work {w.Id}: no run saw invoker {side.Invoker.Index}'s datum {side.Guaranteed} (written before an attempt that answered Queued or Coalesced; newest seen {w.MaxSeen[side.Slot]})");
                }
            }
        }

        var accepted = Accepted();
        var executed = Executed();
        if (accepted > executed)
        {
            Violations.Add(ViolationKind.Lost, null, $"exactly-once: {accepted} runs accepted but {executed} executed ({accepted - executed} lost)");
        }
        else if (executed > accepted)
        {
            Violations.Add(ViolationKind.Duplicate, null, $"exactly-once: {accepted} runs accepted but {executed} executed ({executed - accepted} extra)");
        }
    }

    private void Finish(string? hang)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        _watchdog?.Stop();
        if (_endTicks == 0)
        {
            _endTicks = Stopwatch.GetTimestamp();
        }

        Result = BuildResult(hang);
        _done.Set();
    }

    /// <summary>The watchdog's verdict: no progress. Records it and ends the run as FAILURE.</summary>
    public void DeclareHang(string why, string details)
    {
        if (Volatile.Read(ref _finished) != 0)
        {
            return;
        }

        Violations.Add(ViolationKind.Hang, null, $"{why}; what everyone was doing:{Environment.NewLine}{details.TrimEnd()}");
        if (Options.Fault != RuntimeFault.None)
        {
            RuntimeFaults.Reset();
        }
        _stop = true;
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return;
        }

        if (_endTicks == 0)
        {
            _endTicks = Stopwatch.GetTimestamp();
        }

        Result = BuildResult($"{why}{Environment.NewLine}{details}");
        _done.Set(); // the CLI prints the result and exits the process: the stuck threads are abandoned
    }

    private TortureResult BuildResult(string? hang)
    {
        var primitives = new List<PrimitiveResult>();
        foreach (var p in Options.Weights.Enabled())
        {
            var total = new PrimitiveStats();
            foreach (var invoker in Invokers)
            {
                total.Add(invoker.Stats(p));
            }

            primitives.Add(new PrimitiveResult
            {
                Name = p.Name(),
                Weight = Options.Weights[p],
                Attempts = total.Attempts,
                Ok = total.Ok,
                Busy = total.Busy,
                Offline = total.Offline,
                Coalesced = total.Coalesced,
                Cancelled = total.Cancelled,
                Errors = Violations.ForPrimitive(p),
                P50Nanoseconds = total.Latency.Percentile(50),
                P99Nanoseconds = total.Latency.Percentile(99),
            });
        }

        var awaited = new PrimitiveStats();
        foreach (var invoker in Invokers)
        {
            awaited.Add(invoker.Stats(Primitive.Await));
        }

        var kinds = Violations.NonZero().Select(v => new ViolationResult { Kind = v.Kind.Name(), Count = v.Count, Example = v.Example }).ToList();
        var s = Set.GetStatistics();
        var accepted = Accepted();
        var interrupted = _interrupted;
        var summary = kinds.Count != 0
            ? $"FAILURE: {string.Join(", ", kinds.Select(k => $"{k.Kind} {k.Count}"))} (seed {Options.Seed})"
            : interrupted
                ? string.Create(CultureInfo.InvariantCulture, $"INTERRUPTED after {Elapsed.TotalSeconds:0.0} s: no violation (seed {Options.Seed})")
                : "SUCCESS";
        return new TortureResult
        {
            Verdict = kinds.Count != 0 ? "FAILURE" : interrupted ? "INTERRUPTED" : "SUCCESS",
            Summary = summary,
            Interrupted = interrupted,
            Seed = Options.Seed,
            Cores = CoreCount,
            HardwareThreads = Environment.ProcessorCount,
            Invokers = Invokers.Length,
            DurationSeconds = Math.Round(Elapsed.TotalSeconds, 3),
            Iterations = Options.Iterations,
            Hotplug = Options.Hotplug,
            Delay = Options.Delay.ToString().ToLowerInvariant(),
            Weights = Options.Weights.ToString(),
            Fault = Options.Fault.Name(),
            Accepted = accepted,
            Executed = Executed(),
            Violations = Violations.Total,
            ViolationKinds = kinds,
            OfflineOps = Toggler?.OfflineOps ?? 0,
            OnlineOps = Toggler?.OnlineOps ?? 0,
            AllOfflineEpisodes = Toggler?.AllOfflineEpisodes ?? 0,
            AlignedRace = Racer is not null,
            AlignedRounds = Racer?.Rounds ?? 0,
            AlignedObliged = Racer?.Obliged ?? 0,
            ParkRaceRounds = ParkRacer?.Rounds ?? 0,
            ParkRaceObliged = ParkRacer?.Obliged ?? 0,
            WakeupsSent = s.WakeupsSent,
            WakeupsAvoided = s.WakeupsAvoided,
            WakeupsPerRequest = accepted == 0 ? 0 : Math.Round((double)s.WakeupsSent / accepted, 5),
            Batches = s.Batches,
            MeanBatch = Math.Round(s.MeanBatch, 3),
            MaxBatch = s.MaxBatch,
            Parks = s.Parks,
            SyncRuns = s.SyncCallsRun,
            LaneRuns = s.LaneCallsRun,
            StarvedWaits = StarvedWaits,
            StarvedWaitMaxMs = Math.Round(Milliseconds(StarvedWaitMaxTicks), 1),
            StuckReports = StuckCalls.Reports,
            StuckIncidents = StuckCalls.Incidents,
            StuckExamples = StuckCalls.First,
            Hang = hang,
            Primitives = primitives,
            AwaitedRan = awaited.Ok,
            AwaitedCancelledBeforeStart = awaited.Cancelled,
            AwaitedCancelledWhileQueued = awaited.CancelledQueued,
            AwaitedCancelTooLate = awaited.CancelTooLate,
            AwaitedOffline = awaited.Offline,
        };
    }

    // ------------------------------------------------------------------------------------------------------------
    // Used by the invokers and functions
    // ------------------------------------------------------------------------------------------------------------

    public bool ShouldContinue(Invoker invoker) =>
        !_stop && (Options.Iterations <= 0 || invoker.Ops < Options.Iterations);

    public long Nanoseconds(long ticks) => (long)(ticks * _nanosecondsPerTick);

    public static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    /// <summary>
    /// How long after its release a waiter may take to return before it counts as a lost wake-up. A lost wake-up is
    /// rescued only by the waiter's park timeout (the stuck-call timeout, at most 1 s), and the release it missed
    /// happened as it parked, so it returns about a whole timeout late; scheduling noise is far smaller. Hence 3/4 of
    /// that timeout (at least 75 ms).
    /// </summary>
    public long WakeSlackTicks { get; }

    /// <summary>
    /// Late returns after a release that were not lost wake-ups: the waiter was running or runnable (starved by the
    /// machine) rather than asleep after the release (<see cref="ThreadSchedStat"/>).
    /// </summary>
    public long StarvedWaits => Volatile.Read(ref _starvedWaits);

    /// <summary>The latest of those returns, in Stopwatch ticks after the release.</summary>
    public long StarvedWaitMaxTicks => Volatile.Read(ref _starvedWaitMaxTicks);

    /// <summary>Counts a late return judged starvation (any invoker thread).</summary>
    public void CountStarvedWait(long lateTicks)
    {
        Interlocked.Increment(ref _starvedWaits); // a counter: orders nothing
        var max = Volatile.Read(ref _starvedWaitMaxTicks);
        while (lateTicks > max)
        {
            var seen = Interlocked.CompareExchange(ref _starvedWaitMaxTicks, lateTicks, max); // a running maximum: orders nothing
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>How long an own-descriptor re-queue loop may spin (about 20 µs).</summary>
    public long SpinBudgetTicks { get; } = Stopwatch.Frequency / 50_000;

    /// <summary>Counts one run on <paramref name="core"/> (the calling thread is that core, so a plain counter suffices).</summary>
    public void CountExecuted(int core)
    {
        var n = 1;
        if (Sabotage is Sabotage.ForgetRun or Sabotage.CountTwice && Interlocked.Increment(ref _sabotageCounter) % 1000 == 0)
        {
            n = Sabotage == Sabotage.ForgetRun ? 0 : 2;
        }

        if ((uint)core < (uint)CoreCount)
        {
            ref var slot = ref _executed[core * ExecutedStride];
            Volatile.Write(ref slot, slot + n); // single writer: the core's own thread; read after the threads are joined
        }
        else
        {
            Interlocked.Add(ref _executedOutside, n);
        }
    }

    public long Executed()
    {
        var total = Volatile.Read(ref _executedOutside);
        for (var c = 0; c < CoreCount; c++)
        {
            total += Volatile.Read(ref _executed[c * ExecutedStride]);
        }

        return total;
    }

    public long Accepted()
    {
        var total = 0L;
        foreach (var invoker in Invokers)
        {
            total += Volatile.Read(ref invoker.Context.Accepted);
        }

        return total;
    }

    public void Unexpected(Primitive? p, Exception ex) =>
        Violations.Add(ViolationKind.Exception, p, $"{(p is { } q ? q.Name() : "harness")}: unexpected {ex.GetType().Name}: {ex.Message}");

    public void Progress() => Interlocked.Increment(ref _progress);

    public long ProgressCount()
    {
        var total = Volatile.Read(ref _progress);
        foreach (var invoker in Invokers)
        {
            total += Volatile.Read(ref invoker.Ops);
        }

        return total;
    }

    /// <summary>Racy per-primitive counters for the live display.</summary>
    public (long Attempts, long Ok, long Busy, long Offline, long Coalesced) Counters(Primitive p)
    {
        long a = 0, o = 0, b = 0, off = 0, c = 0;
        foreach (var invoker in Invokers)
        {
            var s = invoker.Stats(p);
            a += Volatile.Read(ref s.Attempts);
            o += Volatile.Read(ref s.Ok);
            b += Volatile.Read(ref s.Busy);
            off += Volatile.Read(ref s.Offline);
            c += Volatile.Read(ref s.Coalesced);
        }

        return (a, o, b, off, c);
    }
}
