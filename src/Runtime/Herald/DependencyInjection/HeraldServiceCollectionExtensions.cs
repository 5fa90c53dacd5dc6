using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Herald;

/// <summary>Registers Herald in a service collection.</summary>
public static class HeraldServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="IEventBus"/> (a singleton) and every handler class that the generator found in this
    /// app and the libraries it references. A handler class is registered as a singleton, so that a publish
    /// allocates nothing, unless the app registered it first: its lifetime then stands, and a scoped or
    /// transient handler gets a scope or an instance per publish.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddHerald(this IServiceCollection services) => services.AddHerald(static _ => { });

    /// <summary>
    /// Registers Herald as <see cref="AddHerald(IServiceCollection)"/> does, with options.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, for example the <see cref="HeraldOptions.FailurePolicy"/>.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddHerald(this IServiceCollection services, Action<HeraldOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        var options = new HeraldOptions();
        configure(options);
        if (!Enum.IsDefined(options.FailurePolicy))
            throw new ArgumentOutOfRangeException(nameof(configure), options.FailurePolicy,
                $"HeraldOptions.FailurePolicy must be {nameof(FailurePolicy.RunAll)} or {nameof(FailurePolicy.StopOnFirst)}.");

        foreach (var module in HeraldRegistry.Modules)
            module.AddHandlerServices(services);

        var registrations = new HandlerRegistrations(services);
        services.TryAddSingleton<IEventBus>(provider => new EventBus(provider, options, registrations));
        return services;
    }
}
