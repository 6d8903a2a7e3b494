using System.Runtime.CompilerServices;
using CrossCore.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting.Tests;

/// <summary>A set in a real host: started with it, used from DI, drained when it stops.</summary>
public sealed class HostLifetimeTests
{
    [Fact]
    public async Task Stopping_the_host_with_pending_work_runs_all_of_it()
    {
        var counter = new StrongBox<long>();
        var deferredRuns = new StrongBox<long>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCoreSet(new CoreSetOptions { CoreCount = 2, Name = Wait.UniqueName("drain"), StuckCallTimeout = TimeSpan.Zero });
        builder.Services.AddHostedService(sp => new PostOnStop(sp.GetRequiredService<CoreSet>(), counter)); // stops before the set drains
        using var host = builder.Build();
        await host.StartAsync();

        var set = host.Services.GetRequiredService<CoreSet>();
        Assert.Same(set, host.Services.GetRequiredService<CoreSet>()); // one set per host
        set.Invoke(1, Wait.Count, counter); // use it: a waiting call
        Assert.Equal(1, Interlocked.Read(ref counter.Value));

        // Pending work: core 1 is held, posted calls and a deferred work queue up behind it just before the stop.
        const int posted = 1000;
        using var gate = CoreGate.BlockCore(set, 1); // after the host: opened before its disposal, also on failure
        for (var i = 0; i < posted; i++)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, new CallDescriptor<StrongBox<long>>(Wait.Count, counter)));
        }

        var work = new DeferredWork<StrongBox<long>>(set, Wait.Count, deferredRuns);
        Assert.Equal(QueueResult.Queued, work.QueueOn(1));

        var stop = host.StopAsync();
        gate.Open();
        await Wait.For(stop, "the host's stop");

        Assert.Equal(1 + posted + PostOnStop.Count, Interlocked.Read(ref counter.Value)); // nothing lost
        Assert.Equal(1, Interlocked.Read(ref deferredRuns.Value));
        Assert.Throws<ObjectDisposedException>(() => set.Invoke(0, Wait.Count, counter)); // drained and stopped
    }

    [Fact]
    public async Task A_drain_past_the_shutdown_timeout_is_logged_and_the_host_stops_then_the_work_still_runs()
    {
        var logs = new CapturingLoggerProvider();
        var counter = new StrongBox<long>();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromMilliseconds(200));
        var name = Wait.UniqueName("timeout");
        builder.Services.AddCoreSet(new CoreSetOptions { CoreCount = 2, Name = name, StuckCallTimeout = TimeSpan.Zero });
        using var host = builder.Build(); // disposed below; the using disposes it on failure
        await host.StartAsync();
        var set = host.Services.GetRequiredService<CoreSet>();

        using var gate = CoreGate.BlockCore(set, 1); // after the host: opened before its disposal, also on failure
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(CallResult.Ok, set.TryPost(1, new CallDescriptor<StrongBox<long>>(Wait.Count, counter)));
        }

        await Wait.For(host.StopAsync(), "the host's stop (the gate is still closed: only the timeout ends it)");
        var timedOut = Assert.Single(logs.Entries, e => e.EventId.Name == "CoreSetDrainTimedOut");
        Assert.Equal(LogLevel.Warning, timedOut.Level);
        Assert.Equal(name, timedOut.Fields["Set"]);
        Assert.Equal(0, Interlocked.Read(ref counter.Value)); // still held

        gate.Open();
        await Wait.For(Task.Run(host.Dispose), "the host's disposal"); // the container's disposal waits for the drain
        Assert.Equal(10, Interlocked.Read(ref counter.Value));
    }
}
