using System.Diagnostics.CodeAnalysis;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace CrossCore.Hosting;

/// <summary>
/// Registers a <see cref="CoreSet"/> in a host: a singleton started with the host and drained when it stops, its
/// stuck-call reports and function exceptions logged through <see cref="ILogger"/> (category <c>CrossCore.Hosting</c>),
/// and its <c>CrossCore</c> Meter created through the host's <see cref="IMeterFactory"/>.
/// </summary>
/// <example>
/// <code>
/// // appsettings.json: { "CrossCore": { "CoreCount": 4, "PollDuration": "00:00:00.0001", "StuckCallTimeout": "00:00:02" } }
/// builder.Services.AddCoreSet(builder.Configuration.GetSection("CrossCore"));
/// // then inject CoreSet anywhere; a second, named set is injected with [FromKeyedServices("io")] CoreSet:
/// builder.Services.AddCoreSet("io", builder.Configuration.GetSection("CrossCore:Io"));
/// </code>
/// </example>
public static class CoreSetServiceCollectionExtensions
{
    /// <summary>The logger category of hosted sets.</summary>
    public const string LoggerCategory = "CrossCore.Hosting";

    /// <summary>Adds the default <see cref="CoreSet"/> (resolved as <c>CoreSet</c>) with options bound from
    /// <paramref name="configuration"/> (the properties of <see cref="CoreSetOptions"/> by name; durations as
    /// <c>hh:mm:ss.fffffff</c>).</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configuration">A configuration section, e.g. <c>builder.Configuration.GetSection("CrossCore")</c>.</param>
    /// <returns><paramref name="services"/>.</returns>
    [RequiresUnreferencedCode("Binds CoreSetOptions from configuration by reflection.")]
    [RequiresDynamicCode("Binds CoreSetOptions from configuration by reflection.")]
    public static IServiceCollection AddCoreSet(this IServiceCollection services, IConfiguration configuration) =>
        AddCoreSet(services, null, configuration);

    /// <summary>Adds a named <see cref="CoreSet"/> (resolved as the keyed service <paramref name="name"/>, e.g.
    /// <c>[FromKeyedServices("io")] CoreSet</c>) with options bound from <paramref name="configuration"/>. The set's
    /// <see cref="CoreSetOptions.Name"/> is <paramref name="name"/> unless the configuration gives one.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The set's key; null for the default set.</param>
    /// <param name="configuration">A configuration section.</param>
    /// <returns><paramref name="services"/>.</returns>
    [RequiresUnreferencedCode("Binds CoreSetOptions from configuration by reflection.")]
    [RequiresDynamicCode("Binds CoreSetOptions from configuration by reflection.")]
    public static IServiceCollection AddCoreSet(this IServiceCollection services, string? name, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var optionsName = name ?? Options.DefaultName;
        services.AddOptions<CoreSetOptions>(optionsName).Bind(configuration);
        return Register(services, name, sp => sp.GetRequiredService<IOptionsMonitor<CoreSetOptions>>().Get(optionsName));
    }

    /// <summary>Adds the default <see cref="CoreSet"/> with the given options.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="options">The set's options (its callbacks are kept and called after the log entries).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCoreSet(this IServiceCollection services, CoreSetOptions options) => AddCoreSet(services, null, options);

    /// <summary>Adds a named <see cref="CoreSet"/> (the keyed service <paramref name="name"/>) with the given options.</summary>
    /// <param name="services">The host's services.</param>
    /// <param name="name">The set's key; null for the default set.</param>
    /// <param name="options">The set's options (its callbacks are kept and called after the log entries).</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection AddCoreSet(this IServiceCollection services, string? name, CoreSetOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(options);
        return Register(services, name, _ => options);
    }

    // The hosted services are added with AddSingleton<IHostedService>, not AddHostedService: that one is a
    // TryAddEnumerable keyed on the implementation type, which would keep only the first set's service.
    private static IServiceCollection Register(IServiceCollection services, string? name, Func<IServiceProvider, CoreSetOptions> source)
    {
        if (name is null)
        {
            services.AddSingleton(sp => Create(sp, name, source(sp)));
            services.AddSingleton<IHostedService>(sp => new CoreSetHostedService(sp.GetRequiredService<CoreSet>(), Logger(sp)));
        }
        else
        {
            services.AddKeyedSingleton(name, (sp, _) => Create(sp, name, source(sp)));
            services.AddSingleton<IHostedService>(sp => new CoreSetHostedService(sp.GetRequiredKeyedService<CoreSet>(name), Logger(sp)));
        }

        return services;
    }

    private static ILogger Logger(IServiceProvider sp) =>
        (sp.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance).CreateLogger(LoggerCategory);

    /// <summary>The set, with the host's logging and Meter factory wired into a copy of the options.</summary>
    private static CoreSet Create(IServiceProvider sp, string? name, CoreSetOptions o)
    {
        var logger = Logger(sp);
        var setName = name is not null && o.Name == new CoreSetOptions().Name ? name : o.Name;
        var userStuck = o.OnStuckCall;
        var userException = o.OnFunctionException;
        // Every property of CoreSetOptions is copied here (they are init-only); a new option must be added too.
        var options = new CoreSetOptions
        {
            CoreCount = o.CoreCount,
            PinToHardwareCpus = o.PinToHardwareCpus,
            HardwareCpus = o.HardwareCpus,
            PollDuration = o.PollDuration,
            AwaitSpinDuration = o.AwaitSpinDuration,
            SenderLaneCount = o.SenderLaneCount,
            TickPeriod = o.TickPeriod,
            StuckCallTimeout = o.StuckCallTimeout,
            FailFastAfter = o.FailFastAfter,
            FailFastOnFunctionException = o.FailFastOnFunctionException,
            Name = setName,
            MeterFactory = o.MeterFactory ?? sp.GetService<IMeterFactory>(),
            OnStuckCall = report =>
            {
                CoreSetLog.Report(logger, setName, report); // replaces the default sink (standard error)
                userStuck?.Invoke(report);
            },
            OnFunctionException = info =>
            {
                CoreSetLog.FunctionException(logger, info.Exception, setName, info.Core, info.FunctionName);
                userException?.Invoke(info);
            },
        };
        return new CoreSet(options);
    }
}
