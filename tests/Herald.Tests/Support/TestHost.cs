using Microsoft.Extensions.DependencyInjection;

namespace Herald.Tests.Support;

/// <summary>
/// A service provider with Herald, owned by one test: handler instances and services registered here are the
/// test's own, even though the generated event slots are shared by the whole process.
/// </summary>
internal sealed class TestHost : IDisposable
{
    private TestHost(IServiceCollection services, ServiceProvider provider)
    {
        Services = services;
        Provider = provider;
    }

    /// <summary>The collection the provider was built from.</summary>
    public IServiceCollection Services { get; }

    public ServiceProvider Provider { get; }

    public IEventBus Bus => Provider.GetRequiredService<IEventBus>();

    /// <summary>Builds a provider: the test's registrations first (they win over AddHerald's), then AddHerald.</summary>
    public static TestHost Create(Action<IServiceCollection>? register = null, FailurePolicy failurePolicy = FailurePolicy.RunAll)
    {
        var services = new ServiceCollection();
        register?.Invoke(services);
        services.AddHerald(options => options.FailurePolicy = failurePolicy);
        return new TestHost(services, services.BuildServiceProvider());
    }

    public T Get<T>() where T : notnull => Provider.GetRequiredService<T>();

    public void Dispose() => Provider.Dispose();
}
