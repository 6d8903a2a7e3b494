
namespace CrossCore.Cli.Torture;

/// <summary>
/// The hotplug thread (scftorture's onoff helper): at random intervals takes a random core offline or brings it back,
/// from this outside thread or, one time in four, from task context on another core (C8). Never all cores at once,
/// except in an occasional all-offline episode that checks every entry point answers Offline and nothing runs.
/// Every change happens inside an odd <see cref="HotplugState"/> generation, so requests know when to relax their
/// online checks.
/// </summary>
internal sealed class HotplugToggler : IDisposable
{
    private readonly TortureEngine _engine;
    private readonly CoreSet _set;
    private readonly HotplugState _hot;
    private readonly ManualResetEventSlim _stop = new(false);
    private readonly Thread _thread;
    private Rng _rng;
    private int _probeRuns;

    public HotplugToggler(TortureEngine engine)
    {
        _engine = engine;
        _set = engine.Set;
        _hot = engine.Hotplug;
        _rng = new Rng(engine.Options.Seed, 0xC0FFEE);
        _thread = new Thread(Run) { IsBackground = true, Name = "torture hotplug" };
    }

    public long OfflineOps;
    public long OnlineOps;
    public long AllOfflineEpisodes;

    /// <summary>What the thread is doing (for the watchdog).</summary>
    public string Activity { get; private set; } = "idle";

    public void Start() => _thread.Start();

    /// <summary>Stops toggling and brings every core back online.</summary>
    public void Stop()
    {
        _stop.Set();
        _thread.Join();
    }

    /// <summary>Stops toggling if it still runs (as <see cref="Stop"/>), then frees the stop event.</summary>
    public void Dispose()
    {
        _stop.Set();
        if ((_thread.ThreadState & System.Threading.ThreadState.Unstarted) == 0)
        {
            _thread.Join();
        }

        _stop.Dispose();
    }

    private void Run()
    {
        var interval = _engine.Options.HotplugInterval.TotalMilliseconds;
        try
        {
            while (!_stop.Wait(TimeSpan.FromMilliseconds(interval * (0.5 + (_rng.Next(1000) / 1000.0)))))
            {
                if (_set.Count > 1 && !_rng.OneIn(25))
                {
                    var core = _rng.Next(_set.Count);
                    var wentOffline = ToggleOne(core);

                    // Mostly short outages (like scftorture's onoff: offline, then online again), sometimes longer
                    // ones that overlap with other cores' outages.
                    if (wentOffline && !_rng.OneIn(4) && !_stop.Wait(TimeSpan.FromMilliseconds(interval * _rng.Next(500) / 1000.0)))
                    {
                        ToggleOne(core);
                    }
                }
                else
                {
                    AllOfflineEpisode();
                }
            }
        }
        catch (Exception ex)
        {
            _engine.Unexpected(null, ex);
        }
        finally
        {
            BringAllOnline();
            Activity = "stopped";
        }
    }

    /// <summary>Flips one core. Returns true if it took the core offline.</summary>
    private bool ToggleOne(int core)
    {
        _hot.BeginChange();
        try
        {
            if (_hot.IsOnline(core))
            {
                if (_hot.OnlineCount() <= 1)
                {
                    return false; // never the last one outside an episode
                }

                Activity = $"taking core {core} offline";
                var result = _rng.OneIn(4) ? OfflineFromTaskContext(core) : _set.TakeOffline(core);
                Expect(result, $"Offline({core})");
                _hot.Set(core, online: false);
                Interlocked.Increment(ref OfflineOps);
                return true;
            }

            Activity = $"bringing core {core} online";
            Expect(_set.BringOnline(core), $"BringOnline({core})");
            _hot.Set(core, online: true);
            Interlocked.Increment(ref OnlineOps);
            return false;
        }
        finally
        {
            _hot.EndChange();
            Activity = "idle";
            _engine.Progress();
        }
    }

    /// <summary>Offline from task context on another online core (it waits there, draining that core's inbox, O8).</summary>
    private HotplugResult OfflineFromTaskContext(int core)
    {
        var host = -1;
        for (var i = 0; i < _set.Count; i++)
        {
            var c = (core + 1 + i) % _set.Count;
            if (c != core && _hot.IsOnline(c))
            {
                host = c;
                break;
            }
        }

        if (host < 0)
        {
            return _set.TakeOffline(core);
        }

        Activity = $"taking core {core} offline from task context on core {host}";
        return _set.RunAsync(host, () => _set.TakeOffline(core)).GetAwaiter().GetResult();
    }

    /// <summary>Every core offline at once: every entry point must answer Offline and nothing may run.</summary>
    private void AllOfflineEpisode()
    {
        _hot.BeginChange();
        try
        {
            Activity = "taking every core offline";
            for (var c = 0; c < _set.Count; c++)
            {
                if (_hot.IsOnline(c))
                {
                    Expect(_set.TakeOffline(c), $"TakeOffline({c})");
                    _hot.Set(c, online: false);
                    Interlocked.Increment(ref OfflineOps);
                }
            }

            Activity = "checking the all-offline answers";
            CheckAllOffline();

            Activity = "bringing every core back online";
            for (var c = 0; c < _set.Count; c++)
            {
                Expect(_set.BringOnline(c), $"BringOnline({c})");
                _hot.Set(c, online: true);
                Interlocked.Increment(ref OnlineOps);
            }

            Interlocked.Increment(ref AllOfflineEpisodes);
        }
        finally
        {
            _hot.EndChange();
            Activity = "idle";
            _engine.Progress();
        }
    }

    private void CheckAllOffline()
    {
        var before = Volatile.Read(ref _probeRuns);
        var probe = new CallDescriptor<HotplugToggler>(static t => Interlocked.Increment(ref t._probeRuns), this);
        var work = new DeferredWork<HotplugToggler>(_set, static t => Interlocked.Increment(ref t._probeRuns), this);
        for (var c = 0; c < _set.Count; c++)
        {
            Answer(TortureCalls.Single(_set, c, static t => Interlocked.Increment(ref t._probeRuns), this, wait: true), $"Invoke({c})");
            Answer(TortureCalls.Single(_set, c, static t => Interlocked.Increment(ref t._probeRuns), this, wait: false), $"Post({c})");
            Answer(_set.TryPost(c, probe), $"TryPost({c})");
            if (work.QueueOn(c) != QueueResult.Offline)
            {
                Wrong($"QueueOn({c}) did not answer Offline with every core offline");
            }

            var task = _set.RunAsync(c, () => Interlocked.Increment(ref _probeRuns));
            if (!task.IsFaulted || task.Exception?.InnerException is not CoreOfflineException)
            {
                Wrong($"RunAsync({c}) did not fail with CoreOfflineException with every core offline");
            }
        }

        Answer(TortureCalls.Any(_set, null, static (_, t) => Interlocked.Increment(ref t._probeRuns), this, out _, out _), "InvokeAny(all)");
        var asked = 0;
        var each = _set.InvokeOnEach(null, (_, _) => { asked++; return true; }, static (_, t) => Interlocked.Increment(ref t._probeRuns), this);
        var many = _set.InvokeMany(null, static (_, t) => Interlocked.Increment(ref t._probeRuns), this);
        if (each != 0 || many != 0)
        {
            Wrong($"with every core offline, InvokeOnEach reported {each} cores and InvokeMany {many}");
        }
        if (asked != 0)
        {
            Wrong($"InvokeOnEach evaluated its condition {asked} times with every core offline");
        }

        var ran = Volatile.Read(ref _probeRuns) - before;
        if (ran != 0)
        {
            Wrong($"{ran} probe functions ran with every core offline");
        }
    }

    private void Answer(CallResult result, string what)
    {
        if (result != CallResult.Offline)
        {
            Wrong($"{what} answered {result} with every core offline");
        }
    }

    private void Expect(HotplugResult result, string what)
    {
        if (result != HotplugResult.Done)
        {
            Wrong($"{what} answered {result}, expected Done");
        }
    }

    private void Wrong(string what) => _engine.Violations.Add(ViolationKind.WrongAnswer, null, $"hotplug: {what}");

    private void BringAllOnline()
    {
        _hot.BeginChange();
        try
        {
            for (var c = 0; c < _set.Count; c++)
            {
                if (!_hot.IsOnline(c))
                {
                    Expect(_set.BringOnline(c), $"BringOnline({c})");
                    _hot.Set(c, online: true);
                    Interlocked.Increment(ref OnlineOps);
                }
            }
        }
        finally
        {
            _hot.EndChange();
        }
    }
}
