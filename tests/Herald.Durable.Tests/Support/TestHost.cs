using Microsoft.Extensions.DependencyInjection;

namespace Herald.Durable.Tests;

/// <summary>One test's provider: Herald with the given options, its own delivery log and fault plan, consumers running.</summary>
public sealed class TestHost : IAsyncDisposable
{
    private TestHost(ServiceProvider provider)
    {
        Provider = provider;
    }

    public ServiceProvider Provider { get; }

    public IEventBus Bus => Provider.GetRequiredService<IEventBus>();

    public DurableLogAdmin Admin => Provider.GetRequiredService<DurableLogAdmin>();

    public DeliveryLog Deliveries => Provider.GetRequiredService<DeliveryLog>();

    public FaultPlan Faults => Provider.GetRequiredService<FaultPlan>();

    public DurableConsumers Consumers => Provider.GetRequiredService<DurableConsumers>();

    /// <summary>Builds the provider; consumers start unless <paramref name="startConsumers"/> is false.</summary>
    public static async Task<TestHost> StartAsync(
        Action<HeraldOptions>? configure = null, bool startConsumers = true, FaultPlan? faults = null, Action<IServiceCollection>? register = null)
    {
        var services = new ServiceCollection();
        register?.Invoke(services); // before AddHerald: a lifetime the app gives a handler class stands
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton(faults ?? new FaultPlan());
        services.AddHerald(o =>
        {
            o.Consumers.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Consumers.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Consumers.LeaseDuration = TimeSpan.FromSeconds(3);
            o.Consumers.LeaseRenewalInterval = TimeSpan.FromMilliseconds(200);
            o.DeadLetterFile = Path.Combine(Path.GetTempPath(), $"herald-tests-{Guid.NewGuid():N}.dead-letters.jsonl");
            configure?.Invoke(o);
        });
        var host = new TestHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }));
        if (startConsumers)
            await host.Consumers.StartAsync(CancellationToken.None);
        return host;
    }

    /// <summary>Waits until <paramref name="consumer"/> has handled everything in the log.</summary>
    public async Task WaitCaughtUpAsync(string consumer, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (await Admin.GetLagAsync(consumer, cancel.Token) > 0)
            await Task.Delay(10, cancel.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await Consumers.StopAsync(CancellationToken.None);
        await Provider.DisposeAsync();
    }
}
