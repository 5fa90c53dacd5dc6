using Herald.Durable;
using Herald.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald;

/// <summary>Registers Herald in a service collection.</summary>
public static class HeraldServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventBus"/> (a singleton) and every handler class that the generator found in this
    /// app and the libraries it references. A handler class is registered as a singleton, so that a publish
    /// allocates nothing, unless the app registered it first: its lifetime then stands, and a scoped or
    /// transient handler gets a scope or an instance per publish. Durable events go to an in-memory log.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddHerald(this IServiceCollection services) => services.AddHerald(static _ => { });

    /// <summary>
    /// Registers Herald as <see cref="AddHerald(IServiceCollection)"/> does, with options (the failure policy, the
    /// durable transport: <c>o.UseSqlite(...)</c>, consumer retries, retention, ...).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddHerald(this IServiceCollection services, Action<HeraldOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new HeraldOptions();
        configure(options);
        options.Validate(nameof(configure));
        return services.AddHerald(options);
    }

    /// <summary>
    /// Registers Herald with options read from <paramref name="configuration"/> (the <c>Herald</c> section), then
    /// <paramref name="configure"/>: the switch between environments lives in configuration, not code.
    /// Keys: <c>Transport</c> (<c>InMemory</c>, or a transport whose package the app references: <c>Sqlite</c>, ...),
    /// <c>LogEvents</c>, <c>FailurePolicy</c>, <c>MaxPayloadBytes</c>, <c>Partitions</c>, <c>InstanceId</c>,
    /// <c>Retention:MaxAge</c> (a time span, <c>7.00:00:00</c>), <c>Retention:MaxEvents</c>, <c>RetentionInterval</c>, and the transport's own section
    /// (<c>Sqlite:ConnectionString</c>, ...).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The <c>Herald</c> configuration section.</param>
    /// <param name="configure">Changes the options after configuration was read; may be null.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddHerald(this IServiceCollection services, IConfiguration configuration, Action<HeraldOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new HeraldOptions();
        HeraldConfiguration.Apply(options, configuration);
        configure?.Invoke(options);
        options.Validate(configure is null ? nameof(configuration) : nameof(configure));
        return services.AddHerald(options);
    }

    private static IServiceCollection AddHerald(this IServiceCollection services, HeraldOptions options)
    {
        var conflicts = HeraldRegistry.Conflicts;
        if (conflicts.Count > 0)
            throw new InvalidOperationException(string.Join(Environment.NewLine, conflicts));

        foreach (var module in HeraldRegistry.Modules)
            module.AddHandlerServices(services);

        var registrations = new HandlerRegistrations(services);
        services.TryAddSingleton(options);
        services.TryAddSingleton(registrations);
        services.TryAddSingleton<IEventBus>(provider => new EventBus(provider, options, registrations));
        services.TryAddSingleton(provider => new DurableRuntime(provider, options, provider.GetService<ILoggerFactory>()));
        services.TryAddSingleton(provider => new DurableConsumers(provider));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, DurableConsumers>(provider => provider.GetRequiredService<DurableConsumers>()));
        services.TryAddSingleton(provider => new DurableLogAdmin(provider.GetRequiredService<DurableRuntime>()));
        return services;
    }
}
