using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CrossCore.Hosting.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting.Tests;

/// <summary>The set's CrossCore Meter comes from the host's IMeterFactory.</summary>
public sealed class MeterTests
{
    [Fact]
    public async Task The_sets_instruments_live_on_a_meter_the_hosts_factory_created()
    {
        var name = Wait.UniqueName("meter");
        var meters = new ConcurrentDictionary<Meter, long>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "CrossCore")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "set" && (string?)tag.Value == name && instrument.Name == "crosscore.core.calls")
                {
                    meters.AddOrUpdate(instrument.Meter, value, (_, old) => old + value);
                }
            }
        });
        listener.Start();

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCoreSet(new CoreSetOptions { CoreCount = 2, Name = name });
        using var host = builder.Build();
        await host.StartAsync();
        var set = host.Services.GetRequiredService<CoreSet>();
        for (var i = 0; i < 5; i++)
        {
            set.Invoke(1, static () => { });
        }

        Wait.Until(() => set.GetStatistics().SyncCallsRun == 5, "the core to count its runs");
        listener.RecordObservableInstruments();

        var meter = Assert.Single(meters.Keys); // the factory's Meter only, not the static one as well
        Assert.Same(host.Services.GetRequiredService<IMeterFactory>(), meter.Scope);
        Assert.Equal(5, meters[meter]); // core 1's five calls (core 0 ran none)
        await Wait.For(host.StopAsync(), "the host's stop");
    }
}
