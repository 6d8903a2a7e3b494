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
    /// The default number of sender lanes per core (<see cref="CoreLanes"/>): 0 (every waiting call goes through the
    /// inbox, as the kernel's do), or the AppContext data <c>CrossCore.SenderLanes</c> (0..4), read once per process.
    /// Off by default until the bench shows the lanes meet P1 on the machines we measure (docs/PERFORMANCE.md, "Sender
    /// lanes"); for measurement and A/B builds, not a public option.
    /// </summary>
    internal static readonly int DefaultSenderLanes = ParseSenderLanes(AppContext.GetData("CrossCore.SenderLanes"));

    /// <summary>The AppContext data <c>CrossCore.SenderLanes</c> as a lane count: a whole number (a runtimeconfig.json
    /// property arrives as a string) clamped to 0..<see cref="CoreLanes.Count"/>; anything else (absent, not a number) is 0.</summary>
    internal static int ParseSenderLanes(object? data) =>
        data is not null
        && int.TryParse(Convert.ToString(data, System.Globalization.CultureInfo.InvariantCulture), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count)
            ? Math.Clamp(count, 0, CoreLanes.Count)
            : 0;

    /// <summary>
    /// How many known senders each core polls directly (their waiting calls skip the inbox; see <see cref="CoreLanes"/>).
    /// Internal: set by the bench to compare lanes with the inbox in one run; settable for the same reason as
    /// <see cref="NoWaitRingSize"/>.
    /// </summary>
    internal int SenderLanes { get; set; } = DefaultSenderLanes;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(SenderLanes, nameof(SenderLanes));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(SenderLanes, CoreLanes.Count, nameof(SenderLanes));
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
