using CrossCore.Contenders;

namespace CrossCore.Cli.Bench;

/// <summary>Whether a scenario's contenders are round trips (latency) or handoffs (throughput).</summary>
internal enum ScenarioKind
{
    Latency,
    Throughput,
}

/// <summary>A SPEC §9 target checked on a scenario's CrossCore rows.</summary>
/// <param name="Text">The target as the report prints it.</param>
/// <param name="MaxRatioToFloor">Met when the paired ratio to the floor is at most this.</param>
/// <param name="MinSpeedupOverChannel">Met when the best Channel&lt;T&gt; peer (per round) over this is at least this.</param>
/// <param name="AppliesTo">The CrossCore rows the target judges (name prefix); null: every CrossCore row.</param>
/// <param name="ChannelPeer">The Channel&lt;T&gt; peers that count for <paramref name="MinSpeedupOverChannel"/> (name
/// prefix); null: every Channel&lt;T&gt; peer.</param>
internal sealed record TargetSpec(string Text, double? MaxRatioToFloor, double? MinSpeedupOverChannel, string? AppliesTo = null, string? ChannelPeer = null);

/// <summary>One scenario: its contenders, measured in interleaved rounds.</summary>
internal sealed record ScenarioSpec(
    string Id,
    string Key,
    string Title,
    string Unit,
    ScenarioKind Kind,
    double SampleMs,
    Func<Placement, IReadOnlyList<Contender>> Create,
    TargetSpec? Target = null,
    bool EmitTimedRows = true,
    ReferenceFloorSpec? ReferenceFloor = null);

/// <summary>The scenarios of <c>crosscore bench</c> (the BenchmarkDotNet project measures the same contender classes).</summary>
internal static class BenchCatalog
{
    public static IReadOnlyList<ScenarioSpec> All { get; } =
    [
        new("P1", "latency/ping-pong", "Round trip to a polling core (sync call vs ping-pongs)", "ns/op", ScenarioKind.Latency, 3,
            p =>
            [
                new RawPingPong(p),
                new CrossCoreSyncPingPong(p, parked: false),
                new CrossCoreSyncPingPong(p, parked: false, inboxOnly: true),
                new CrossCoreSyncPingPong(p, parked: false, withResult: true),
                new CrossCoreCoreToCorePingPong(p),
                new ChannelSpinPingPong(p),
                new ChannelAwaitPingPong(p),
                new BlockingCollectionPingPong(p),
                new ThreadPoolRoundTrip(p),
                new TaskRunRoundTrip(p),
            ],
            new TargetSpec("≤ 1.5× raw ping-pong; ≥ 2.5× faster than the best Channel<T> ping-pong", 1.5, 2.5)),

        new("P7", "latency/await", "Awaited round trip (InvokeAsync) vs Channel<T> await ping-pong and await Task.Run", "ns/op", ScenarioKind.Latency, 5,
            p =>
            [
                new CrossCoreInvokeAsyncRoundTrip(p, fromCore: false),
                new CrossCoreInvokeAsyncRoundTrip(p, fromCore: true),
                new ChannelAwaitTwoThreadPingPong(p),
                new ChannelAwaitPingPong(p),
                new TaskRunRoundTrip(p),
            ],
            new TargetSpec("faster than the Channel<T> await ping-pong with its ends on two threads; 0 B/op", null, 1.0,
                AppliesTo: "CrossCore InvokeAsync", ChannelPeer: "Channel<T> await ping-pong, ends on two threads")),

        new("P3", "latency/parked", "Round trip to a parked core (poll duration 0)", "ns/op", ScenarioKind.Latency, 30,
            p =>
            [
                new EventPingPong(p),
                new CrossCoreSyncPingPong(p, parked: true),
                .. FutexPingPong.UnsupportedReason is null ? [new FutexPingPong(p)] : Array.Empty<Contender>(),
            ],
            new TargetSpec("≤ 1.2× ManualResetEventSlim ping-pong", 1.2, null),
            ReferenceFloor: new ReferenceFloorSpec("raw futex wait/wake ping-pong", () => FutexPingPong.UnsupportedReason)),

        new("P2", "throughput/one-to-one", "Async handoff, one sender → one core", "ns/item", ScenarioKind.Throughput, 5,
            p =>
            [
                new RawStackHandoff(p),
                new RawStackHandoff(p, fenced: true),
                new CrossCoreAsyncThroughput(p),
                new CrossCoreNoWaitThroughput(p),
                new CrossCoreNoWaitThroughput(p, ring: 1),
                new ChannelThroughput(p, awaitReader: false),
                new ChannelThroughput(p, awaitReader: true),
                new BlockingCollectionThroughput(p),
                new ThreadPoolThroughput(p),
            ],
            new TargetSpec("≥ 60 % of the raw stack handoff's rate (≤ 1.67× its ns/item); ≥ 2× Channel<T>'s rate", 1 / 0.6, 2, AppliesTo: "CrossCore TryPost")),

        new("P2", "throughput/many-to-one", "Async handoff, two senders → one core", "ns/item", ScenarioKind.Throughput, 5,
            p =>
            [
                new RawStackHandoff(p, senders: 2),
                new CrossCoreAsyncThroughput(p, senders: 2, name: "bench many2one"),
                new CrossCoreNoWaitThroughput(p, senders: 2),
                new CrossCoreNoWaitThroughput(p, senders: 2, ring: 1),
                new ChannelThroughput(p, awaitReader: false, senders: 2),
                new ChannelThroughput(p, awaitReader: true, senders: 2),
            ]),

        new("P1", "throughput/broadcast", "Broadcast round trip: one request to every other core, wait for all", "ns/op", ScenarioKind.Latency, 3,
            p =>
            [
                new RawBroadcast(p),
                new CrossCoreInvokeMany(p),
                new CrossCoreInvokeOnEach(p),
            ]),

        new("P2", "throughput/coalescing", "Coalescing deferred work: queue attempts on a busy target", "ns/op", ScenarioKind.Throughput, 5,
            p =>
            [
                new RawFlagCoalescing(p),
                new CrossCoreDeferredCoalescing(p),
                new ThreadPoolFlagCoalescing(p),
            ]),

        new("P5", "load/bursts", "Bursty load: two senders, bursts of async calls with pauses (the core parks between)", "ns/item", ScenarioKind.Throughput, 20,
            p => [new CrossCoreBurstLoad(p)],
            EmitTimedRows: false),
    ];

    /// <summary>True if the <c>--only</c> filter <paramref name="filter"/> selects <paramref name="spec"/> (its id, or part of its key).</summary>
    public static bool Selects(string filter, ScenarioSpec spec) =>
        filter.Equals(spec.Id, StringComparison.OrdinalIgnoreCase) || spec.Key.Contains(filter, StringComparison.OrdinalIgnoreCase);

    /// <summary>True if the <c>--only</c> filter <paramref name="filter"/> selects the P6 idle-CPU measurement.</summary>
    public static bool SelectsIdle(string filter) =>
        filter.Equals("P6", StringComparison.OrdinalIgnoreCase) || "idle".Contains(filter, StringComparison.OrdinalIgnoreCase);

    /// <summary>True if <paramref name="filter"/> selects anything at all.</summary>
    public static bool SelectsAnything(string filter) => filter.Length > 0 && (SelectsIdle(filter) || All.Any(spec => Selects(filter, spec)));

    /// <summary>Every valid <c>--only</c> value, for error messages: the ids and the keys.</summary>
    public static string ValidFilters() =>
        string.Join(", ", All.Select(s => s.Id).Append("P6").Distinct().Concat(All.Select(s => s.Key)).Append("idle"));
}
