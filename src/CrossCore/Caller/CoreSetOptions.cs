using System.Diagnostics.Metrics;

namespace CrossCore;

/// <summary>Options of a <see cref="CoreSet"/>. Immutable once the set is built, except where noted.</summary>
public sealed class CoreSetOptions
{
    /// <summary>How many cores (worker threads). Default: <see cref="Environment.ProcessorCount"/>. May exceed the
    /// hardware threads (oversubscription): cores then yield while they poll or spin.</summary>
    public int CoreCount { get; init; } = Environment.ProcessorCount;

    /// <summary>Pin core i's thread to a hardware CPU (Linux <c>sched_setaffinity</c>; a documented no-op
    /// elsewhere, reported by <see cref="CoreInfo.PinningError"/>). Default: false.</summary>
    public bool PinToHardwareCpus { get; init; }

    /// <summary>The hardware CPUs to pin to: core i gets <c>HardwareCpus[i % Count]</c>. Default (null): core i gets
    /// CPU <c>i % ProcessorCount</c>.</summary>
    public IReadOnlyList<int>? HardwareCpus { get; init; }

    /// <summary>How long an idle core polls its inbox (announcing it, so senders skip the wake-up) before it parks;
    /// also how long a waiter spins before it blocks. Default: 50 µs. Zero parks at once.</summary>
    public TimeSpan PollDuration { get; init; } = TimeSpan.FromMicroseconds(50);

    /// <summary>
    /// How long <see cref="CoreSet.InvokeAsync{TState, TResult}(int, Func{TState, TResult}, TState, CancellationToken)"/>
    /// and its overloads, called from outside the set (a thread-pool thread or any thread that is not a core), spin for
    /// the answer before they return a pending task, when the target core is awake (running or polling). An answer
    /// within the spin completes the task before the caller awaits it, so the caller continues on its own thread
    /// instead of paying a thread-pool dispatch and wake-up (several microseconds). A call to a parked core, a call made
    /// on the hardware CPU its pinned target core runs on (the spin would only keep the core from running), and any call
    /// from a core never spin. Default: 10 µs. Zero never spins.
    /// </summary>
    public TimeSpan AwaitSpinDuration { get; init; } = TimeSpan.FromMicroseconds(10);

    /// <summary>The tick period: lazy deferred work runs within about one tick (§5.7). Default: 4 ms.</summary>
    public TimeSpan TickPeriod { get; init; } = TimeSpan.FromMilliseconds(4);

    /// <summary>The stuck-call detector's timeout (D1): a waiter whose call has not completed in this time reports.
    /// Default: 5 s; zero turns reports off. Changeable at run time with <see cref="CoreSet.StuckCallTimeout"/>.</summary>
    public TimeSpan StuckCallTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Fail fast (<see cref="Environment.FailFast(string)"/>) when a waiter has been stuck this long (the
    /// kernel's <c>panic_on_ipistall</c>). Default: zero, off.</summary>
    public TimeSpan FailFastAfter { get; init; } = TimeSpan.Zero;

    /// <summary>Where stuck-call reports go. Default (null): one line each to standard error. Called on the waiting
    /// thread; must not throw (exceptions are swallowed).</summary>
    public Action<StuckCallReport>? OnStuckCall { get; init; }

    /// <summary>Called when an async call's function or a deferred work's function throws (§6). Called on the core,
    /// in handler context; must not block (exceptions it throws are swallowed). The core keeps serving.</summary>
    public Action<FunctionExceptionInfo>? OnFunctionException { get; init; }

    /// <summary>Fail fast when an async call's or deferred work's function throws, instead of reporting and going on.
    /// Default: false.</summary>
    public bool FailFastOnFunctionException { get; init; }

    /// <summary>A name for the set, used in thread names and reports. Default: "CrossCore".</summary>
    public string Name { get; init; } = "CrossCore";

    /// <summary>
    /// Where the set's <c>CrossCore</c> Meter comes from. Default (null): one static Meter for the process. Given a
    /// factory (a host's <see cref="IMeterFactory"/>, as <c>CrossCore.Hosting</c> passes), the set's instruments live
    /// on <c>factory.Create("CrossCore")</c> instead (the host owns and disposes that Meter), and the static Meter
    /// does not report the set, so a tool listening to the name <c>CrossCore</c> sees it once.
    /// </summary>
    public IMeterFactory? MeterFactory { get; init; }

    /// <summary>The largest ring of posting descriptors a thread keeps per target core (see <see cref="NoWaitRing{TState}"/>).</summary>
    internal const int MaxNoWaitRingSize = 16;

    /// <summary>
    /// The default ring size: 8, or the AppContext data <c>CrossCore.NoWaitRingSize</c> (1..16; 1 is the kernel's one
    /// per-sender descriptor), read once per process. For measurement and A/B builds; not a public option.
    /// </summary>
    internal static readonly int DefaultNoWaitRingSize =
        AppContext.GetData("CrossCore.NoWaitRingSize") is { } value
        && int.TryParse(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var size)
            ? Math.Clamp(size, 1, MaxNoWaitRingSize)
            : 8;

    /// <summary>
    /// How many of its posts to one core a thread may have queued (not yet dequeued) before its next post to that core
    /// waits (C1). 1 is the kernel's single per-sender descriptor. Internal: set by the bench to compare ring sizes in
    /// one run; settable (not init-only) so a contender can adjust the options its placement built.
    /// </summary>
    internal int NoWaitRingSize { get; set; } = DefaultNoWaitRingSize;

    /// <summary>
    /// The default of <see cref="SenderLaneCount"/>: <see cref="CoreLanes.Count"/>, or the AppContext data
    /// <c>CrossCore.SenderLaneCount</c> (0..4; 0 sends every waiting call through the inbox), read once per process.
    /// </summary>
    internal static readonly int DefaultSenderLaneCount = ParseSenderLaneCount(AppContext.GetData("CrossCore.SenderLaneCount"));

    /// <summary>The AppContext data <c>CrossCore.SenderLaneCount</c> as a lane count: a whole number (a runtimeconfig.json
    /// property arrives as a string) clamped to 0..<see cref="CoreLanes.Count"/>; absent or not a number: the default,
    /// <see cref="CoreLanes.Count"/>.</summary>
    internal static int ParseSenderLaneCount(object? data) =>
        data is not null
        && int.TryParse(Convert.ToString(data, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? Math.Clamp(count, 0, CoreLanes.Count)
            : CoreLanes.Count;

    private int _senderLanes = DefaultSenderLaneCount;

    /// <summary>
    /// How many threads each core serves through a sender lane of their own (0 to 4). A thread with a lane on a core
    /// makes its waiting single-core calls there (<see cref="CoreSet.Invoke(int, Action)"/> and its overloads) without
    /// the inbox: it writes the call to its own request line, which the core polls, and reads the answer from the
    /// core's reply line, about half the cache-line transfers of a round trip through the inbox. A thread takes a free
    /// lane on its first waiting call to a core and keeps it while it calls; a lane whose thread has not called for
    /// 100 ms is taken over by a thread that needs one; threads without a lane, and every other kind of request, use
    /// the inbox. The function runs on the core in handler context, exactly as through the inbox, and its answer,
    /// exception and ordering rules are the same.
    /// </summary>
    /// <remarks>
    /// Default: 4, or the AppContext value <c>CrossCore.SenderLaneCount</c> of the application (for example
    /// <c>"CrossCore.SenderLaneCount": 0</c> under <c>configProperties</c> in its <c>runtimeconfig.json</c>). 0 sends every
    /// waiting call through the inbox, as the kernel's <c>smp_call_function_single</c> does. A core polls the lanes in
    /// use beside its inbox (a few cached reads per poll). Calls served through a lane are counted in
    /// <see cref="CoreSetStatistics.LaneCallsRun"/> and in <see cref="CoreSetStatistics.SyncCallsRun"/>; they are not
    /// inbox batches (<see cref="CoreSetStatistics.Batches"/>, the <c>crosscore.batch.size</c> histogram, the
    /// <c>InboxBatch</c> event), and a stuck-call report about one says so (<see cref="StuckCallReport.ThroughSenderLane"/>).
    /// </remarks>
    public int SenderLaneCount
    {
        get => _senderLanes;
        init => _senderLanes = value;
    }

    /// <summary>Sets <see cref="SenderLaneCount"/> after construction: for the tests, the Coyote harness and the bench,
    /// which adjust options a helper built (the set copies the value when it is built).</summary>
    internal void OverrideSenderLaneCount(int lanes) => _senderLanes = lanes;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SenderLaneCount, nameof(SenderLaneCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SenderLaneCount, CoreLanes.Count, nameof(SenderLaneCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(NoWaitRingSize, 1, nameof(NoWaitRingSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(NoWaitRingSize, MaxNoWaitRingSize, nameof(NoWaitRingSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(CoreCount, 1, nameof(CoreCount));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(CoreCount, 4096, nameof(CoreCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(PollDuration, TimeSpan.Zero, nameof(PollDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(AwaitSpinDuration, TimeSpan.Zero, nameof(AwaitSpinDuration));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(AwaitSpinDuration, TimeSpan.FromMilliseconds(1), nameof(AwaitSpinDuration));
        ArgumentOutOfRangeException.ThrowIfLessThan(TickPeriod, TimeSpan.FromMilliseconds(1), nameof(TickPeriod));
        ArgumentOutOfRangeException.ThrowIfLessThan(StuckCallTimeout, TimeSpan.Zero, nameof(StuckCallTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(FailFastAfter, TimeSpan.Zero, nameof(FailFastAfter));
        ArgumentNullException.ThrowIfNull(Name, nameof(Name));
        if (HardwareCpus is not null)
        {
            foreach (var cpu in HardwareCpus)
            {
                ArgumentOutOfRangeException.ThrowIfNegative(cpu, nameof(HardwareCpus));
            }
        }
    }
}
