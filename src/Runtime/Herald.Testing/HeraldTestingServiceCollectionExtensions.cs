using Herald;
using Herald.Durable;
using Herald.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers Herald's test harness.</summary>
public static class HeraldTestingServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="HeraldTestHarness"/> (a singleton) and the observers it records through. Call it next to
    /// <c>AddHerald</c>, before or after it, on the collection the test's provider is built from; with
    /// <c>WebApplicationFactory</c>, in <c>ConfigureTestServices</c> (or <c>ConfigureServices</c>). Then resolve the
    /// harness: <c>provider.GetRequiredService&lt;HeraldTestHarness&gt;()</c>. Calling it twice registers it once.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <returns>The same collection.</returns>
    public static IServiceCollection AddHeraldTestHarness(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider => new HeraldTestHarness(provider));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<PublishObserver, HarnessPublishObserver>(
            provider => new HarnessPublishObserver(provider.GetRequiredService<HeraldTestHarness>())));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<DurableObserver, HarnessDurableObserver>(
            provider => new HarnessDurableObserver(provider.GetRequiredService<HeraldTestHarness>())));
        return services;
    }
}
