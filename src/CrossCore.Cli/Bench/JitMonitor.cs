using System.Diagnostics.Tracing;
using System.Globalization;
using System.Reflection.Emit;

namespace CrossCore.Cli.Bench;

/// <summary>
/// Watches the runtime's own JIT events in-process (the <c>Microsoft-Windows-DotNETRuntime</c> provider, JIT
/// keyword, verbose level: one <c>MethodLoadVerbose</c> per method compiled, carrying its optimization tier) so the
/// runner can tell which code a contender ran: a window in which nothing was compiled ran code that was already
/// there; a window in which tier-0, OSR or instrumented code was compiled ran some non-optimized code; a tier-1
/// compile means a method was promoted mid-window. Events reach the listener on the runtime's dispatch thread, a
/// few milliseconds late, so <see cref="Drain"/> compiles a sentinel method and waits for its event: everything
/// compiled before it has then been delivered (the runtime hands a session's events over in time-stamp order).
/// Only the code the contenders run counts (<see cref="IsMeasuredCode"/>), not the runner's.
/// </summary>
internal sealed class JitMonitor : EventListener
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";
    private const EventKeywords JitKeyword = (EventKeywords)0x10;
    private const string SentinelPrefix = "CrossCoreBenchJitSentinel_";

    // Bits 7..9 of MethodFlags carry the optimization tier (the runtime's ETW encoding).
    private const int TierShift = 7;
    private const int TierMask = 0x7;

    // Field initializers run before EventListener's constructor, which may already call OnEventSourceCreated.
    private readonly object _gate = new();
    private List<JitEvent> _pending = [];
    private long _sentinelSeen;
    private long _sentinelNext;
    private long _eventsSeen;
    private long _otherSeen;

    /// <summary>False once a <see cref="Drain"/> timed out: the listener gets no events (or too late to attribute).</summary>
    public bool Reliable { get; private set; } = true;

    /// <summary>Events seen in all (sentinels included): zero means the runtime delivers no JIT events here.</summary>
    public long EventsSeen => Interlocked.Read(ref _eventsSeen);

    /// <summary>Methods compiled that are not <see cref="IsMeasuredCode"/> (not reported by <see cref="Drain"/>).</summary>
    public long OtherSeen => Interlocked.Read(ref _otherSeen);

    /// <summary>Waits until every method compiled so far has been reported, then returns the ones reported since the
    /// previous drain (oldest first).</summary>
    public IReadOnlyList<JitEvent> Drain()
    {
        if (!Reliable)
        {
            return [];
        }

        var n = Interlocked.Increment(ref _sentinelNext);
        CompileSentinel(n);
        var deadline = Environment.TickCount64 + 2000;
        while (Interlocked.Read(ref _sentinelSeen) < n)
        {
            if (Environment.TickCount64 > deadline)
            {
                Reliable = false;
                break;
            }

            Thread.Sleep(1);
        }

        lock (_gate)
        {
            var taken = _pending;
            _pending = [];
            return taken;
        }
    }

    /// <inheritdoc/>
    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == RuntimeProvider)
        {
            EnableEvents(eventSource, EventLevel.Verbose, JitKeyword);
        }
    }

    /// <inheritdoc/>
    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventName is not { } name || !name.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) || eventData.PayloadNames is not { } names || eventData.Payload is not { } payload)
        {
            return;
        }

        var type = Get(names, payload, "MethodNamespace") as string ?? "";
        var method = Get(names, payload, "MethodName") as string ?? "";
        Interlocked.Increment(ref _eventsSeen);
        if (method.StartsWith(SentinelPrefix, StringComparison.Ordinal))
        {
            if (long.TryParse(method.AsSpan(SentinelPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n))
            {
                // Max, not store: sentinels are seen in order, but a late duplicate must not move it back.
                long seen;
                do
                {
                    seen = Interlocked.Read(ref _sentinelSeen);
                }
                while (n > seen && Interlocked.CompareExchange(ref _sentinelSeen, n, seen) != seen);
            }

            return;
        }

        if (!IsMeasuredCode(type))
        {
            Interlocked.Increment(ref _otherSeen);
            return;
        }

        var flags = Convert.ToInt64(Get(names, payload, "MethodFlags") ?? 0L, CultureInfo.InvariantCulture);
        var tier = (JitTier)((flags >> TierShift) & TierMask);
        lock (_gate)
        {
            _pending.Add(new JitEvent(type + "::" + method, tier));
        }
    }

    /// <summary>
    /// True for the code the contenders run: CrossCore itself, the contenders, and the framework's threading and
    /// concurrent-collection code the peers are built on (channels, events, the thread pool, tasks, async builders);
    /// false for the runner's own code (CrossCore.Cli, also as a generic argument), the console library and the rest
    /// of the framework, which the runner uses between the timed runs and whose tiering says nothing of a contender,
    /// and for the thread pool's hill climbing and gate thread, which run on the pool's own timer.
    /// </summary>
    internal static bool IsMeasuredCode(string type) =>
        !type.Contains("CrossCore.Cli", StringComparison.Ordinal)
        && !type.StartsWith("System.Threading.PortableThreadPool+HillClimbing", StringComparison.Ordinal) // the pool's own timer
        && !type.StartsWith("System.Threading.PortableThreadPool+GateThread", StringComparison.Ordinal)
        && (type.StartsWith("CrossCore.", StringComparison.Ordinal)
            || type.StartsWith("System.Threading.", StringComparison.Ordinal)
            || type.StartsWith("System.Collections.Concurrent.", StringComparison.Ordinal)
            || type.StartsWith("System.Runtime.CompilerServices.Async", StringComparison.Ordinal));

    private static object? Get(System.Collections.ObjectModel.ReadOnlyCollection<string> names, System.Collections.ObjectModel.ReadOnlyCollection<object?> payload, string field)
    {
        for (var i = 0; i < names.Count && i < payload.Count; i++)
        {
            if (names[i] == field)
            {
                return payload[i];
            }
        }

        return null;
    }

    /// <summary>Compiles and runs a new tiny dynamic method: its <c>MethodLoadVerbose</c> marks "everything before
    /// this has been reported" once it arrives.</summary>
    private static void CompileSentinel(long n)
    {
        var method = new DynamicMethod(SentinelPrefix + n.ToString(CultureInfo.InvariantCulture), typeof(int), Type.EmptyTypes, typeof(JitMonitor).Module);
        var il = method.GetILGenerator();
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Ret);
        ((Func<int>)method.CreateDelegate(typeof(Func<int>)))();
    }
}
