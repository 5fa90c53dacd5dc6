using Microsoft.Extensions.DependencyInjection;

namespace Herald;

/// <summary>
/// Answers which lifetime the app gave a handler class. Reads the service collection when the bus first
/// needs a class (after the provider is built), so registrations made after AddHerald count too; the last
/// registration of a type wins, as it does for the provider.
/// </summary>
internal sealed class HandlerRegistrations(IServiceCollection services)
{
    private readonly Lock _gate = new();
    private Dictionary<Type, ServiceLifetime>? _lifetimes;

    public ServiceLifetime? LifetimeOf(Type handlerType)
    {
        lock (_gate)
        {
            if (_lifetimes is null)
            {
                _lifetimes = [];
                foreach (var descriptor in services)
                {
                    if (!descriptor.IsKeyedService)
                        _lifetimes[descriptor.ServiceType] = descriptor.Lifetime;
                }
            }
            return _lifetimes.TryGetValue(handlerType, out var lifetime) ? lifetime : null;
        }
    }
}
