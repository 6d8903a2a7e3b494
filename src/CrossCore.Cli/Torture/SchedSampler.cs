namespace CrossCore.Cli.Torture;

/// <summary>
/// Samples the scheduler accounting of every invoker thread of a run (<see cref="ThreadSamples"/>) every
/// <see cref="PeriodMs"/> ms on a thread of its own, so a late return can be judged (asleep after the release, or awake
/// but not run) at no cost to the calls that return in time. Linux only; elsewhere <see cref="Register"/> gives null.
/// </summary>
internal sealed class SchedSampler : IDisposable
{
    public const int PeriodMs = 10;

    private readonly Lock _lock = new();
    private readonly Thread _thread;
    private ThreadSamples[] _threads = [];
    private volatile bool _stop;

    public SchedSampler()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "torture sched sampler" };
        _thread.Start();
    }

    /// <summary>Registers the calling thread; null where its accounting is not available.</summary>
    public ThreadSamples? Register()
    {
        var forSampler = ThreadSchedStat.OpenForCurrentThread();
        var forOwner = forSampler is null ? null : ThreadSchedStat.OpenForCurrentThread();
        if (forSampler is null || forOwner is null)
        {
            forSampler?.Dispose();
            return null;
        }

        var samples = new ThreadSamples(forSampler, forOwner);
        samples.Sample();
        lock (_lock)
        {
            _threads = [.. _threads, samples]; // copy on write: the sampler reads the array without the lock
        }

        return samples;
    }

    public void Dispose()
    {
        if (_stop)
        {
            return;
        }

        _stop = true;
        _thread.Join();
        foreach (var t in _threads)
        {
            t.Dispose(); // the invokers have ended: nobody reads them any more
        }
    }

    private void Loop()
    {
        while (!_stop)
        {
            foreach (var t in Volatile.Read(ref _threads)) // acquire; pairs with the lock's release in Register
            {
                t.Sample();
            }

            Thread.Sleep(PeriodMs);
        }
    }
}
