using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace CrossCore;

/// <summary>
/// A set of N cores, dedicated worker threads that run functions for each other: the Linux kernel's cross-CPU call
/// machinery (<c>kernel/smp.c</c>) and deferred work (<c>kernel/irq_work.c</c>) for .NET.
/// </summary>
/// <remarks>
/// <para>From any thread, run a function on a core and wait for it
/// (<see cref="Invoke{TState, TResult}(int, Func{TState, TResult}, TState)"/>), await it
/// (<see cref="InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>), or queue it
/// (<see cref="Post{TState}(int, Action{TState}, TState)"/>); run it on many cores
/// (<see cref="InvokeMany{TState}"/>, <see cref="InvokeOnEach{TState}"/>) or on a nearby one
/// (<see cref="InvokeAny{TState}(CoreMask?, Action{int, TState}, TState)"/>); post a reusable descriptor you own, which
/// answers Busy while in flight (<see cref="TryPost(int, CallDescriptor)"/>); or run task-context work that may block
/// and await (<see cref="RunAsync{TState}(int, Func{TState, Task}, TState, CancellationToken)"/>).
/// <see cref="DeferredWork"/> coalesces and is never lost. Cores can be taken offline and back
/// (<see cref="TakeOffline(int)"/>, <see cref="BringOnline(int)"/>).</para>
/// <para>Every request travels through the target core's lock-free inbox; the core is woken only when its inbox was
/// empty and it is parked, not when it polls. Functions run in <em>handler context</em>: short, never waiting.
/// docs/DESIGN.md maps each rule to its kernel counterpart.</para>
/// </remarks>
[DebuggerDisplay("CoreSet {Options.Name}: {Count} cores")]
public sealed partial class CoreSet : IDisposable, IAsyncDisposable
{
    private readonly Core[] _cores;
    private readonly CoreMask _all;
    private int _disposed;
    private readonly TaskCompletionSource _disposeDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _stuckTimeoutTicks;

    /// <summary>Starts a set of cores. Returns once every core's thread is running (and pinned, if asked).</summary>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public CoreSet(CoreSetOptions? options = null)
    {
        Options = options ?? new CoreSetOptions();
        Options.Validate();
        Count = Options.CoreCount;
        PollTicks = ToStopwatchTicks(Options.PollDuration);
        AwaitSpinTicks = ToStopwatchTicks(Options.AwaitSpinDuration);
        TickTicks = ToStopwatchTicks(Options.TickPeriod);
        Oversubscribed = Count > Environment.ProcessorCount;
        NoWaitRingSize = Options.NoWaitRingSize;
        StuckCallTimeout = Options.StuckCallTimeout;
        Telemetry = new CoreSetTelemetry(this);
        Detector = new StuckCallDetector(this);
        _all = CoreMask.All(Count);

        _cores = new Core[Count];
        for (var i = 0; i < Count; i++)
        {
            _cores[i] = new Core(this, i);
        }

        using var ready = new ManualResetEventSlim(false);
        foreach (var core in _cores)
        {
            ready.Reset();
            core.Start(ready);
            SchedulerSeams.WaitForEvent(ready);
        }

        Telemetry.Metrics.Register(this);
    }

    /// <summary>The options the set was built with.</summary>
    public CoreSetOptions Options { get; }

    /// <summary>How many cores the set has (online or not).</summary>
    public int Count { get; }

    /// <summary>
    /// The stuck-call detector's timeout (D1); zero turns reports off. Changeable at run time; waits in progress pick
    /// the new value up within a second.
    /// </summary>
    public TimeSpan StuckCallTimeout
    {
        get => TimeSpan.FromSeconds((double)StuckCallTimeoutTicks / Stopwatch.Frequency);
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
            // Release; pairs with the acquire read in StuckCallTimeoutTicks (waiters in StuckWait). A long: Volatile
            // keeps it untorn on a 32-bit platform too.
            Volatile.Write(ref _stuckTimeoutTicks, ToStopwatchTicks(value));
        }
    }

    /// <summary>How many waits are stuck right now (the kernel's <c>csd_lock_is_stuck()</c>, as a count).</summary>
    public int StuckCallsNow => Detector.StuckNow;

    /// <summary>
    /// The id of the calling thread's core in this set, or -1 if the caller is not one of this set's cores (the
    /// kernel's <c>smp_processor_id()</c>).
    /// </summary>
    public int CurrentCore => CoreContext.CurrentCore is { } core && core.Set == this ? core.Id : -1;

    /// <summary>
    /// True while the calling thread runs a call or deferred-work function (handler context, the kernel's hard-irq
    /// context). Waiting operations throw there.
    /// </summary>
    public static bool IsInHandlerContext => CoreContext.InHandler;

    internal long PollTicks { get; }

    /// <summary><see cref="CoreSetOptions.AwaitSpinDuration"/> in stopwatch ticks.</summary>
    internal long AwaitSpinTicks { get; }

    internal long TickTicks { get; }

    internal bool Oversubscribed { get; }

    /// <summary>How many of its posts to one core a thread may have queued before a post waits (C1: 1 is the kernel's
    /// single per-sender descriptor). Read from the options once; see <see cref="NoWaitRing{TState}"/>.</summary>
    internal int NoWaitRingSize { get; }

    internal long StuckCallTimeoutTicks => Volatile.Read(ref _stuckTimeoutTicks); // acquire; pairs with the setter's release (untorn on 32-bit)

    internal CoreSetTelemetry Telemetry { get; }

    internal StuckCallDetector Detector { get; }

    internal bool IsDisposed => Volatile.Read(ref _disposed) != 0; // acquire; pairs with the Exchange in Dispose

    /// <summary>True if <paramref name="core"/> is online.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    public bool IsOnline(int core) => GetCoreNoDisposeCheck(core).IsOnline;

    /// <summary>What <paramref name="core"/> is doing (a snapshot).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    public CoreState GetState(int core) => GetCoreNoDisposeCheck(core).State;

    /// <summary>A snapshot of <paramref name="core"/>: state and pinning.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="core"/> is not a core of the set.</exception>
    public CoreInfo GetCoreInfo(int core)
    {
        var c = GetCoreNoDisposeCheck(core);
        return new CoreInfo(c.Id, c.State, c.HardwareCpu, c.PinningError, c.ManagedThreadId)
        {
            SharesHardwareCpu = c.HardwareCpu >= 0 && Array.Exists(_cores, o => o != c && o.HardwareCpu == c.HardwareCpu),
        };
    }

    /// <summary>A snapshot of the set's counters (runs by kind, batches, wake-ups sent and avoided, ...).</summary>
    /// <remarks>A core counts a run after the function returned and its caller was let go, so a snapshot taken right
    /// after <see cref="Invoke(int, Action)"/> returns may not count that call yet. Once <see cref="Dispose"/> has
    /// returned the counts include every run its cores made.</remarks>
    public CoreSetStatistics GetStatistics() => CoreSetStatistics.Capture(_cores);

    /// <summary>
    /// Stops the set: runs everything already accepted (inboxes, deferred work, task-context work), releases every
    /// waiter, and joins the threads. Afterwards every call throws <see cref="ObjectDisposedException"/>. A request that
    /// races with Dispose either runs on its core before the core stops or, if it reaches a closed inbox, runs on the
    /// caller's thread: nothing accepted is lost. Calling it again waits for the first call to finish.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called from handler context, or from one of this set's own cores
    /// (it would wait for itself: use <see cref="DisposeAsync"/> there).</exception>
    public void Dispose()
    {
        CoreContext.ThrowIfHandler("CoreSet.Dispose");
        if (CoreContext.CurrentCore is { } here && here.Set == this)
        {
            throw new InvalidOperationException(
                $"CoreSet.Dispose was called on core {here.Id} of the same set: it would wait for its own thread to stop. " +
                "Dispose from a thread outside the set, or use DisposeAsync.");
        }

        if (!BeginDispose())
        {
            _disposeDone.Task.GetAwaiter().GetResult();
            return;
        }

        foreach (var core in _cores)
        {
            core.Join();
        }

        FinishDispose();
    }

    /// <summary>
    /// <see cref="Dispose"/> without blocking a thread: the returned task completes when every core has drained and
    /// stopped. Also allowed from task-context work on one of the set's own cores (that core stops once the work
    /// yields; the continuation then runs on the thread pool).
    /// </summary>
    /// <returns>A task that completes when the set has stopped.</returns>
    /// <exception cref="InvalidOperationException">Called from handler context.</exception>
    public ValueTask DisposeAsync()
    {
        CoreContext.ThrowIfHandler("CoreSet.DisposeAsync");
        if (!BeginDispose())
        {
            return new ValueTask(_disposeDone.Task);
        }

        var stopped = new Task[_cores.Length];
        for (var i = 0; i < stopped.Length; i++)
        {
            stopped[i] = _cores[i].Stopped;
        }

        return new ValueTask(FinishWhenStopped(stopped));
    }

    private async Task FinishWhenStopped(Task[] stopped)
    {
        await Task.WhenAll(stopped).ConfigureAwait(false);
        FinishDispose();
    }

    /// <summary>Marks the set disposed and asks every core to stop. False if another caller got there first.</summary>
    private bool BeginDispose()
    {
        // Full fence: the linearization point of dispose; pairs with the acquire read in IsDisposed. A sender that
        // read "not disposed" before it is handled by the closed-inbox path (Core.Enqueue returns false).
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return false;
        }

        foreach (var core in _cores)
        {
            core.RequestStop();
        }

        return true;
    }

    private void FinishDispose()
    {
        Telemetry.Metrics.Unregister(this);
        _disposeDone.TrySetResult();
    }

    /// <summary>The core with id <paramref name="core"/>; throws for a bad id or a disposed set.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal Core GetCore(int core)
    {
        if ((uint)core >= (uint)_cores.Length)
        {
            ThrowBadCore(core);
        }

        ThrowIfDisposed();
        return _cores[core];
    }

    internal Core GetCoreUnchecked(int core) => _cores[core];

    private Core GetCoreNoDisposeCheck(int core)
    {
        if ((uint)core >= (uint)_cores.Length)
        {
            ThrowBadCore(core);
        }

        return _cores[core];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0) // acquire; pairs with the Exchange in Dispose
        {
            ThrowDisposed();
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowDisposed() => throw new ObjectDisposedException(nameof(CoreSet), $"The CoreSet '{Options.Name}' has been disposed.");

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowBadCore(int core) =>
        throw new ArgumentOutOfRangeException(nameof(core), core, $"Core ids of this set are 0..{_cores.Length - 1}.");

    /// <summary>
    /// Reports an exception thrown by an async call's or deferred work's function (§6): event, metric, the optional
    /// callback; fail-fast if configured. The core keeps serving.
    /// </summary>
    internal void ReportFunctionException(Core? core, Exception exception, Delegate? function)
    {
        Telemetry.FunctionThrew(core?.Id ?? -1, exception, function, waited: false);
        if (Options.FailFastOnFunctionException)
        {
            Environment.FailFast($"CrossCore: function {DiagnosticNames.Of(function)} threw on core {core?.Id ?? -1} and FailFastOnFunctionException is set.", exception);
        }

        if (Options.OnFunctionException is { } callback)
        {
            try
            {
                callback(new FunctionExceptionInfo(core?.Id ?? -1, exception, function));
            }
            catch (Exception)
            {
                // The callback must not take the core down.
            }
        }
    }

    internal ReadOnlySpan<Core> Cores => _cores;

    /// <summary>
    /// A duration in <see cref="Stopwatch"/> ticks, saturating instead of overflowing (a TimeSpan's ticks times a
    /// 1 GHz frequency overflows a long past about 15 minutes).
    /// </summary>
    internal static long ToStopwatchTicks(TimeSpan duration) =>
        (long)Math.Min(long.MaxValue / 4, duration.TotalSeconds * Stopwatch.Frequency);
}
