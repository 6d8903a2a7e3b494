using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CrossCore.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting.Tests;

/// <summary>Stuck-call reports and function exceptions go to ILogger with structured fields, and to the user's callbacks.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Stuck_calls_and_function_exceptions_are_logged_with_structured_fields_and_user_callbacks_still_run()
    {
        var logs = new CapturingLoggerProvider();
        var reports = new ConcurrentQueue<StuckCallReport>();
        var exceptions = new ConcurrentQueue<FunctionExceptionInfo>();
        var name = Wait.UniqueName("logs");
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(logs);
        builder.Services.AddCoreSet(new CoreSetOptions
        {
            CoreCount = 2,
            Name = name,
            StuckCallTimeout = TimeSpan.FromMilliseconds(100),
            OnStuckCall = reports.Enqueue,
            OnFunctionException = exceptions.Enqueue,
        });
        using var host = builder.Build();
        await host.StartAsync();
        var set = host.Services.GetRequiredService<CoreSet>();
        var started = Assert.Single(logs.Entries, e => e.EventId.Name == "CoreSetStarted");
        Assert.Equal(2, started.Fields["CoreCount"]);

        // A waiting call queued behind a function that holds core 1: reported stuck, then unstuck.
        // The call is made only once Hold runs: made before, it could run first (a waiting call may overtake a posted
        // one, through a sender lane or to the front of a batch) and nothing would be stuck.
        using var gate = CoreGate.BlockCore(set, 1); // after the host: opened before its disposal, also on failure
        var counter = new StrongBox<long>();
        var caller = Task.Factory.StartNew(() => set.Invoke(1, Wait.Count, counter), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        Wait.Until(() => logs.Entries.Any(e => e.EventId.Name == "StuckCall"), "a stuck-call log entry");
        gate.Open();

        await Wait.For(caller, "the released call");
        Wait.Until(() => logs.Entries.Any(e => e.EventId.Name == "Unstuck"), "the unstuck log entry");

        var stuck = logs.Entries.First(e => e.EventId.Name == "StuckCall");
        Assert.Equal(CoreSetServiceCollectionExtensions.LoggerCategory, stuck.Category);
        Assert.Equal(LogLevel.Warning, stuck.Level);
        Assert.Equal(name, stuck.Fields["Set"]);
        Assert.Equal(1, stuck.Fields["TargetCore"]);
        Assert.Equal(1, stuck.Fields["Sequence"]);
        Assert.Equal(TargetActivity.RunningOtherFunction, stuck.Fields["TargetActivity"]);
        Assert.Equal("CoreGate.Hold", stuck.Fields["OtherFunction"]);
        Assert.Equal("Wait.Count", stuck.Fields["Function"]);
        Assert.True((double)stuck.Fields["WaitedMs"]! >= 100);
        var first = reports.First(r => !r.IsUnstuck); // the user's callback got the same report
        Assert.Equal(first.Id, stuck.Fields["Id"]);
        var unstuck = logs.Entries.First(e => e.EventId.Name == "Unstuck");
        Assert.Equal(LogLevel.Information, unstuck.Level);
        Assert.Equal(first.Id, unstuck.Fields["Id"]);
        Assert.Contains(reports, r => r.IsUnstuck && r.Id == first.Id);

        // A posted call's function throws: logged as an error with the exception, and the callback sees it.
        var boom = new InvalidOperationException("boom");
        Assert.Equal(CallResult.Ok, set.TryPost(1, new CallDescriptor<Exception>(static e => throw e, boom)));
        Wait.Until(() => logs.Entries.Any(e => e.EventId.Name == "FunctionException"), "the function-exception log entry");
        var thrown = logs.Entries.Single(e => e.EventId.Name == "FunctionException");
        Assert.Equal(LogLevel.Error, thrown.Level);
        Assert.Same(boom, thrown.Exception);
        Assert.Equal(1, thrown.Fields["Core"]);
        Assert.Equal(name, thrown.Fields["Set"]);
        Assert.StartsWith("LoggingTests.", (string)thrown.Fields["Function"]!, StringComparison.Ordinal);
        Wait.Until(() => !exceptions.IsEmpty, "the user's exception callback");
        Assert.Same(boom, Assert.Single(exceptions).Exception);

        await Wait.For(host.StopAsync(), "the host's stop");
        Assert.Single(logs.Entries, e => e.EventId.Name == "CoreSetStopped");
    }
}
