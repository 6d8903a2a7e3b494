using CrossCore.Hosting.Tests.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CrossCore.Hosting.Tests;

/// <summary>Options bound from configuration; named sets as keyed services.</summary>
public sealed class ConfigurationTests
{
    [Fact]
    public async Task Options_are_bound_from_a_configuration_section_and_named_sets_are_keyed_services()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CrossCore:CoreCount"] = "3",
            ["CrossCore:Name"] = "from-config",
            ["CrossCore:PollDuration"] = "00:00:00.0001",
            ["CrossCore:TickPeriod"] = "00:00:00.010",
            ["CrossCore:StuckCallTimeout"] = "00:00:02",
            ["CrossCore:HardwareCpus:0"] = "0",
            ["CrossCore:HardwareCpus:1"] = "0",
            ["CrossCore:Io:CoreCount"] = "1",
            ["CrossCore:Io:StuckCallTimeout"] = "00:00:00",
        });
        builder.Services.AddCoreSet(builder.Configuration.GetSection("CrossCore"));
        builder.Services.AddCoreSet("io", builder.Configuration.GetSection("CrossCore:Io"));
        using var host = builder.Build();
        await host.StartAsync();

        var set = host.Services.GetRequiredService<CoreSet>();
        Assert.Equal(3, set.Count);
        Assert.Equal("from-config", set.Options.Name);
        Assert.Equal(TimeSpan.FromMicroseconds(100), set.Options.PollDuration);
        Assert.Equal(TimeSpan.FromMilliseconds(10), set.Options.TickPeriod);
        Assert.Equal(TimeSpan.FromSeconds(2), set.StuckCallTimeout);
        Assert.Equal([0, 0], set.Options.HardwareCpus);

        var io = host.Services.GetRequiredKeyedService<CoreSet>("io");
        Assert.NotSame(set, io);
        Assert.Equal(1, io.Count);
        Assert.Equal("io", io.Options.Name); // the key names the set when the configuration does not
        Assert.Equal(TimeSpan.Zero, io.StuckCallTimeout);
        Assert.Equal(new CoreSetOptions().PollDuration, io.Options.PollDuration); // unbound options keep their defaults

        await Wait.For(host.StopAsync(), "the host's stop");
        Assert.Throws<ObjectDisposedException>(() => io.Invoke(0, static () => { }));
    }

    /// <summary>The host copies the user's options into its own (init-only properties, a copy by hand): every plain
    /// option must arrive, so a new option that the copy forgets fails here. The callbacks and the Meter factory are
    /// wrapped by the host on purpose and are checked by the logging and Meter tests.</summary>
    [Fact]
    public async Task Every_option_given_in_code_reaches_the_hosted_set()
    {
        var given = new CoreSetOptions
        {
            CoreCount = 3,
            PinToHardwareCpus = true,
            HardwareCpus = [0, 0, 0],
            PollDuration = TimeSpan.FromMicroseconds(7),
            AwaitSpinDuration = TimeSpan.FromMicroseconds(3),
            SenderLaneCount = 2,
            TickPeriod = TimeSpan.FromMilliseconds(9),
            StuckCallTimeout = TimeSpan.FromSeconds(3),
            FailFastAfter = TimeSpan.FromMinutes(11),
            FailFastOnFunctionException = true,
            Name = Wait.UniqueName("copy"),
        };
        var wrapped = new HashSet<string> { nameof(CoreSetOptions.OnStuckCall), nameof(CoreSetOptions.OnFunctionException), nameof(CoreSetOptions.MeterFactory) };
        var plain = typeof(CoreSetOptions).GetProperties().Where(p => !wrapped.Contains(p.Name)).ToList();
        var defaults = new CoreSetOptions();
        Assert.All(plain, p => Assert.NotEqual(Show(p.GetValue(defaults)), Show(p.GetValue(given)))); // the test sets every one

        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddCoreSet(given);
        using var host = builder.Build();
        await host.StartAsync();
        var set = host.Services.GetRequiredService<CoreSet>();
        Assert.All(plain, p => Assert.Equal(Show(p.GetValue(given)), Show(p.GetValue(set.Options))));
        await Wait.For(host.StopAsync(), "the host's stop");

        static string Show(object? value) => value is IEnumerable<int> list ? string.Join(",", list) : $"{value}";
    }
}
