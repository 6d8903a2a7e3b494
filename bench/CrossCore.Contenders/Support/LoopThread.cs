using System.Collections.Concurrent;
using System.Diagnostics;

namespace CrossCore.Contenders;

/// <summary>
/// A dedicated, optionally pinned thread that is its own single-threaded <see cref="SynchronizationContext"/>: what a
/// careful .NET engineer writes to keep an <c>async</c> loop on one CPU without CrossCore. Posted callbacks run in
/// order on the thread; when its queue is empty it spins for the poll duration (as a CrossCore core does) before it
/// blocks, so a peer built on it pays the same wake-up rule as the cores it is compared with.
/// </summary>
public sealed class LoopThread : SynchronizationContext, IDisposable
{
    private readonly ConcurrentQueue<(SendOrPostCallback Callback, object? State)> _queue = new();
    private readonly ManualResetEventSlim _signal = new(false, spinCount: 1);
    private readonly Thread _thread;
    private readonly long _pollTicks;
    private volatile bool _stop;

    /// <summary>Starts the thread (pinned to <paramref name="cpu"/> unless it is negative).</summary>
    public LoopThread(string name, int cpu, TimeSpan pollDuration)
    {
        _pollTicks = (long)(pollDuration.TotalSeconds * Stopwatch.Frequency);
        using var started = new ManualResetEventSlim(false);
        _thread = new Thread(() =>
        {
            PinningError = BenchAffinity.Pin(cpu);
            SetSynchronizationContext(this);
            started.Set();
            Run();
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

    /// <summary>Runs <paramref name="work"/> on the thread, in this context, and returns its task.</summary>
    public Task<T> Start<T>(Func<Task<T>> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(static s => ((Action)s!)(), (Action)(async () =>
        {
            try
            {
                done.SetResult(await work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }));
        return done.Task;
    }

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        _queue.Enqueue((d, state));
        // Full fence (Interlocked in Set) after the enqueue; pairs with the fence of Reset in Run before its
        // re-check of the queue: either the loop sees the item, or this Set follows its Reset and wakes it.
        _signal.Set();
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("A LoopThread runs posted work only.");

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;

    /// <summary>Ends the thread after the work already posted.</summary>
    public void Dispose()
    {
        _stop = true;
        _signal.Set();
        _thread.Join(TimeSpan.FromSeconds(30));
        _signal.Dispose();
    }

    private void Run()
    {
        while (!_stop)
        {
            if (_queue.TryDequeue(out var item))
            {
                item.Callback(item.State);
                continue;
            }

            var deadline = Stopwatch.GetTimestamp() + _pollTicks;
            while (_queue.IsEmpty && !_stop && Stopwatch.GetTimestamp() < deadline)
            {
                Thread.SpinWait(8);
            }

            if (!_queue.IsEmpty)
            {
                continue;
            }

            // Full fence (Interlocked in Reset) before the re-check; pairs with the one in Post after its enqueue.
            _signal.Reset();
            if (_queue.IsEmpty && !_stop)
            {
                _signal.Wait();
            }
        }
    }
}
