namespace CrossCore.Contenders;

/// <summary>
/// A dedicated, optionally pinned thread that runs one <em>session</em> at a time for a contender: the pong side of a
/// ping-pong, the consumer of a handoff, a second sender. Between sessions it blocks, so it takes no CPU from the
/// contenders measured in between (the runs are interleaved).
/// </summary>
public sealed class Partner : IDisposable
{
    private readonly Thread _thread;
    private readonly SemaphoreSlim _go = new(0);
    private readonly ManualResetEventSlim _idle = new(true);
    private Action<Partner>? _session;
    private volatile bool _stop;
    private volatile bool _ready;
    private volatile bool _disposed;

    /// <summary>Starts the thread (pinned to <paramref name="cpu"/> unless it is negative) and waits until it runs.</summary>
    public Partner(string name, int cpu)
    {
        using var started = new ManualResetEventSlim(false);
        _thread = new Thread(() =>
        {
            PinningError = BenchAffinity.Pin(cpu);
            started.Set();
            Loop();
        })
        {
            IsBackground = true,
            Name = name,
        };
        _thread.Start();
        started.Wait();
    }

    /// <summary>Why pinning failed, if it did.</summary>
    public string? PinningError { get; private set; }

    /// <summary>The last exception a session threw, if any (re-thrown by <see cref="Stop"/>).</summary>
    public Exception? Error { get; private set; }

    /// <summary>True once the contender asked the current session to end. Sessions poll it.</summary>
    public bool StopRequested => _stop;

    /// <summary>Called by a session once it is spinning and ready for the timed region.</summary>
    public void SignalReady() => _ready = true;

    /// <summary>Starts <paramref name="session"/> on the thread; waits until it calls <see cref="SignalReady"/> if asked.</summary>
    public void Start(Action<Partner> session, bool waitReady = true)
    {
        _idle.Wait();
        _stop = false;
        _ready = false;
        Error = null;
        _session = session;
        _idle.Reset();
        _go.Release();
        if (waitReady)
        {
            Spin.Until(() => _ready || _idle.IsSet);
        }
    }

    /// <summary>Asks the session to end, runs <paramref name="unblock"/> (to release a session blocked in a wait), and
    /// waits until it has ended. Re-throws what it threw.</summary>
    public void Stop(Action? unblock = null)
    {
        _stop = true;
        unblock?.Invoke();
        if (!_idle.Wait(TimeSpan.FromSeconds(30)))
        {
            throw new TimeoutException($"Benchmark partner '{_thread.Name}' did not stop.");
        }

        if (Error is { } error)
        {
            throw new InvalidOperationException($"Benchmark partner '{_thread.Name}' failed.", error);
        }
    }

    /// <summary>Ends the thread (after the current session).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _stop = true;
        _idle.Wait(TimeSpan.FromSeconds(30));
        _disposed = true;
        _go.Release();
        _thread.Join(TimeSpan.FromSeconds(30));
        _go.Dispose();
        _idle.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            _go.Wait();
            if (_disposed)
            {
                return;
            }

            try
            {
                _session!(this);
            }
            catch (Exception ex)
            {
                Error = ex;
            }
            finally
            {
                _session = null;
                _idle.Set();
            }
        }
    }
}
