
namespace CrossCore;

/// <summary>
/// The <see cref="SynchronizationContext"/> installed on every core's thread: an <c>await</c> in task-context work
/// (<see cref="CoreSet.RunAsync(int, Func{Task}, CancellationToken)"/>) resumes on the same core, as in Seastar's shards.
/// </summary>
/// <remarks>
/// Continuations of accepted work are part of that work: they are delivered even to an offline (dormant) core,
/// which runs them; after dispose they run on the thread pool.
/// </remarks>
internal sealed class CoreSynchronizationContext : SynchronizationContext
{
    private readonly Core _core;

    public CoreSynchronizationContext(Core core) => _core = core;

    /// <inheritdoc/>
    public override void Post(SendOrPostCallback d, object? state)
    {
        var work = new PostedCallback(d, state);
        if (!_core.Enqueue(work))
        {
            work.RunOnThreadPool();
        }
    }

    /// <inheritdoc/>
    public override void Send(SendOrPostCallback d, object? state)
    {
        if (_core.IsCurrentThread)
        {
            d(state);
            return;
        }

        _core.Set.RunAsync(_core.Id, s => d(s), state).GetAwaiter().GetResult();
    }

    /// <inheritdoc/>
    public override SynchronizationContext CreateCopy() => this;
}
