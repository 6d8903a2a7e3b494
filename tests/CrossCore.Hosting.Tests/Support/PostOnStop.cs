using System.Runtime.CompilerServices;
using Microsoft.Extensions.Hosting;

namespace CrossCore.Hosting.Tests.Support;

/// <summary>A hosted service that queues <see cref="Count"/> posted calls on core 1 while the host stops.</summary>
public sealed class PostOnStop(CoreSet set, StrongBox<long> counter) : IHostedService
{
    public const int Count = 100;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, new CallDescriptor<StrongBox<long>>(Wait.Count, counter)));
        }

        return Task.CompletedTask;
    }
}
