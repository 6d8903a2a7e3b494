using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting;

/// <summary>
/// Ties a set's life to the host's: the set starts when the host starts, and it is drained (every accepted request
/// runs, <see cref="CoreSet.DisposeAsync"/>) once every hosted service has stopped, so work that other services
/// queue while they stop is not lost.
/// </summary>
/// <remarks>The drain runs in <see cref="StoppedAsync"/>, the last step of the host's stop, whatever the services'
/// registration order. If the host's shutdown timeout fires first, the service logs a warning and returns, so the
/// host goes on stopping; the cores still finish the accepted work, and the container's disposal of the set (after the
/// host stopped) waits for that, because accepted work is never dropped.</remarks>
internal sealed class CoreSetHostedService(CoreSet set, ILogger logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        CoreSetLog.Started(logger, set.Options.Name, set.Count); // the set's threads run already: DI built it for this service
        return Task.CompletedTask;
    }

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        try
        {
            await set.DisposeAsync().AsTask().WaitAsync(cancellationToken).ConfigureAwait(false);
            CoreSetLog.Stopped(logger, set.Options.Name);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            CoreSetLog.DrainTimedOut(logger, set.Options.Name);
        }
    }
}
