using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// P1 / P3: <c>Invoke(core, f, state)</c> from a thread outside the set to core 1 (on the partner CPU).
/// With the default poll duration the core polls between calls (P1). With a zero poll duration (P3) the loop waits,
/// untimed, until the core has parked (and <see cref="ParkedGap"/> more) before each call, and the waiter parks too
/// while the core wakes up: each round trip is two kernel wake-ups.
/// </summary>
public sealed class CrossCoreSyncPingPong : CrossCoreLatencyContender
{
    /// <summary>The untimed pause before each call to the parked core, after it reports Parked.</summary>
    public static readonly TimeSpan ParkedGap = TimeSpan.FromMicroseconds(50);

    private const int Target = 1;
    private readonly PaddedCounter _state = new();
    private readonly bool _parked;
    private readonly bool _withResult;
    private readonly bool _inboxOnly;

    /// <summary>Starts a two-core set; core 1 is the target. <paramref name="parked"/>: poll duration zero.
    /// <paramref name="withResult"/>: call <c>Invoke&lt;TState, TResult&gt;</c> and use the returned count (P7's check
    /// that a result costs nothing measurable over the void call).
    /// <paramref name="inboxOnly"/>: turn the core's sender lanes off (<c>SenderLaneCount = 0</c>: every call goes through
    /// the inbox, the kernel's one path), for the A/B of the lanes in the same run; by default the calls take a lane.</summary>
    public CrossCoreSyncPingPong(Placement placement, bool parked, bool withResult = false, bool inboxOnly = false)
        : base(InboxOnly(placement.CoreSetOptions(parked ? "bench parked" : "bench sync", 2, parked ? TimeSpan.Zero : null), inboxOnly))
    {
        _parked = parked;
        _withResult = withResult;
        _inboxOnly = inboxOnly;
    }

    /// <inheritdoc/>
    public override string Name => _parked ? "CrossCore Invoke to a parked core"
        : _withResult ? "CrossCore Invoke<TResult>, outside thread → core"
        : _inboxOnly ? "CrossCore Invoke, outside thread → core, inbox only (SenderLaneCount = 0)" : "CrossCore Invoke, outside thread → core";

    /// <inheritdoc/>
    public override string? PinningError => Set.GetCoreInfo(Target).PinningError;

    /// <inheritdoc/>
    public override void Begin()
    {
        for (var i = 0; i < 16; i++)
        {
            Set.Invoke(Target, static c => c.Increment(), _state); // wakes the core; it polls now
        }
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        if (_parked)
        {
            return ParkedLoop(ops, clock);
        }

        return _withResult ? ResultLoop(ops, clock) : TimeHere(ops, clock, new InvokeTarget(Set, _state));
    }

    private long ResultLoop<TClock>(int ops, TClock clock)
        where TClock : struct, IOpClock
    {
        var set = Set;
        var state = _state;
        long last = 0;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            last = set.Invoke(Target, static c => ++c.Value, state);
            clock.Tick(i);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        GC.KeepAlive(last);
        return elapsed;
    }

    private long ParkedLoop<TClock>(int ops, TClock clock)
        where TClock : struct, IOpClock
    {
        var set = Set;
        var state = _state;
        var gap = ParkedGap.Ticks * Stopwatch.Frequency / TimeSpan.TicksPerSecond;
        long elapsed = 0;
        for (var i = 0; i < ops; i++)
        {
            var waitStart = Stopwatch.GetTimestamp();
            while (set.GetState(Target) != CoreState.Parked)
            {
                Thread.Yield();
                if (Stopwatch.GetElapsedTime(waitStart) > TimeSpan.FromSeconds(10))
                {
                    throw new TimeoutException("The target core did not park.");
                }
            }

            Pause.For(gap);
            clock.Restart(i);
            var start = Stopwatch.GetTimestamp();
            set.Invoke(Target, static c => c.Increment(), state);
            elapsed += Stopwatch.GetTimestamp() - start;
            clock.Tick(i);
        }

        return elapsed;
    }

    private static CoreSetOptions InboxOnly(CoreSetOptions options, bool inboxOnly)
    {
        if (inboxOnly)
        {
            options.OverrideSenderLaneCount(0);
        }

        return options;
    }

    private readonly struct InvokeTarget(CoreSet set, PaddedCounter state) : IRoundTrip
    {
        public void Run() => set.Invoke(Target, static c => c.Increment(), state);
    }
}
