using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// Broadcast floor: a leader bumps a sequence in one padded line; each follower (one per other CPU) spins on it and
/// acknowledges in its own padded line; the leader waits for every acknowledgement. With one follower it is the raw
/// ping-pong.
/// </summary>
public sealed class RawBroadcast : LatencyContender
{
    private readonly PaddedLong[] _acks;
    private readonly Partner[] _followers;
    private readonly Go _go = new();
    private long _sequence;

    /// <summary>Creates one follower thread per follower CPU of the placement.</summary>
    public RawBroadcast(Placement placement)
    {
        _followers = new Partner[placement.Followers];
        _acks = new PaddedLong[placement.Followers];
        for (var i = 0; i < _followers.Length; i++)
        {
            _followers[i] = new Partner($"raw follower {i}", placement.FollowerCpus[i]);
        }
    }

    /// <inheritdoc/>
    public override string Name => $"raw padded-line broadcast to {_followers.Length} follower(s)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.Floor;

    /// <inheritdoc/>
    public override string? PinningError => _followers.Select(f => f.PinningError).FirstOrDefault(e => e is not null);

    /// <inheritdoc/>
    public override void Begin()
    {
        for (var i = 0; i < _followers.Length; i++)
        {
            var index = i;
            _followers[i].Start(self => Follow(self, index));
        }
    }

    /// <inheritdoc/>
    public override void End()
    {
        foreach (var follower in _followers)
        {
            follower.Stop();
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        foreach (var follower in _followers)
        {
            follower.Dispose();
        }

        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var acks = _acks;
        var go = _go;
        var sequence = _sequence;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            sequence++;
            Volatile.Write(ref go.Line.Value, sequence);
            for (var f = 0; f < acks.Length; f++)
            {
                var spin = 0;
                while (Volatile.Read(ref acks[f].Value) != sequence)
                {
                    Spin.Pause(ref spin);
                }
            }

            clock.Tick(i);
        }

        var elapsed = Stopwatch.GetTimestamp() - start;
        _sequence = sequence;
        return elapsed;
    }

    private void Follow(Partner self, int index)
    {
        var go = _go;
        var last = Volatile.Read(ref go.Line.Value);
        self.SignalReady();
        var spin = 0;
        while (true)
        {
            var value = Volatile.Read(ref go.Line.Value);
            if (value != last)
            {
                last = value;
                Volatile.Write(ref _acks[index].Value, value);
                continue;
            }

            if (self.StopRequested)
            {
                return;
            }

            Spin.Pause(ref spin);
        }
    }

    private sealed class Go
    {
        public PaddedLong Line;
    }
}

/// <summary>
/// Broadcast: <c>InvokeMany(mask, f, state)</c> from the driver (outside the set) to every core but core 0
/// (cores 1..N-1 sit on the follower CPUs; core 0 would share the driver's CPU).
/// </summary>
public sealed class CrossCoreInvokeMany : LatencyContender
{
    private readonly CoreSet _set;
    private readonly CoreMask _targets;
    private readonly PaddedCounter _state = new();
    private readonly StatsProbe _probe;

    /// <summary>Starts a set with one core per CPU (core i on CPU i).</summary>
    public CrossCoreInvokeMany(Placement placement)
    {
        var cores = placement.Followers + 1;
        _set = new CoreSet(placement.CoreSetOptions("bench many", cores));
        _targets = new CoreMask(Enumerable.Range(1, cores - 1));
        _probe = new StatsProbe(_set);
    }

    /// <inheritdoc/>
    public override string Name => $"CrossCore InvokeMany to {_targets.Count} core(s)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override string? PinningError => _set.GetCoreInfo(_set.Count - 1).PinningError;

    /// <inheritdoc/>
    public override void Begin() => Loop(16, default(NoClock));

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        foreach (var (key, value) in _probe.After(ops))
        {
            SetExtra(key, value);
        }
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _set.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var set = _set;
        var targets = _targets;
        var state = _state;
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < ops; i++)
        {
            set.InvokeMany(targets, static (_, _) => { }, state);
            clock.Tick(i);
        }

        return Stopwatch.GetTimestamp() - start;
    }
}

/// <summary>
/// Broadcast, core to all: task-context work on core 0 runs <c>InvokeOnEach(null, null, f, state)</c>: the
/// remote cores are queued, core 0's own share runs inline, then it waits (the kernel's <c>on_each_cpu</c>).
/// </summary>
public sealed class CrossCoreInvokeOnEach : LatencyContender
{
    private readonly CoreSet _set;
    private readonly PaddedCounter _state = new();
    private readonly StatsProbe _probe;
    private long _loopBytes;

    /// <summary>Starts a set with one core per CPU (core i on CPU i).</summary>
    public CrossCoreInvokeOnEach(Placement placement)
    {
        _set = new CoreSet(placement.CoreSetOptions("bench each", placement.Followers + 1));
        _probe = new StatsProbe(_set);
    }

    /// <inheritdoc/>
    public override string Name => $"CrossCore InvokeOnEach from core 0 ({_set.Count} cores, own share inline)";

    /// <inheritdoc/>
    public override ContenderRole Role => ContenderRole.CrossCore;

    /// <inheritdoc/>
    public override string? PinningError => _set.GetCoreInfo(0).PinningError;

    /// <inheritdoc/>
    public override void Begin() => Loop(16, default(NoClock));

    /// <inheritdoc/>
    public override void BeforeRun() => _probe.Before();

    /// <inheritdoc/>
    public override void AfterRun(int ops)
    {
        foreach (var (key, value) in _probe.After(ops))
        {
            SetExtra(key, value);
        }

        SetExtra("loop_bytes_per_op", (double)_loopBytes / ops); // on core 0, inside the loop: the calls alone
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        _set.Dispose();
        base.Dispose(disposing);
    }

    /// <inheritdoc/>
    protected override long Loop<TClock>(int ops, TClock clock)
    {
        var set = _set;
        var state = _state;
        return set.RunAsync(0, () =>
        {
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var start = Stopwatch.GetTimestamp();
            for (var i = 0; i < ops; i++)
            {
                set.InvokeOnEach(null, null, static (_, _) => { }, state);
                clock.Tick(i);
            }

            var elapsed = Stopwatch.GetTimestamp() - start;
            _loopBytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            return elapsed;
        }).GetAwaiter().GetResult();
    }
}
