using Herald.Durable.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Postgres.Tests.Support;

/// <summary>
/// One app instance on the PostgreSQL log of <see cref="Schema"/>: Herald with <c>UsePostgres</c>, its own delivery log
/// and fault plan, consumers running unless asked otherwise. Several hosts on one schema are several instances of an
/// app sharing one database.
/// </summary>
public sealed class PostgresHost : IAsyncDisposable
{
    private PostgresHost(ServiceProvider provider, string schema)
    {
        Provider = provider;
        Schema = schema;
    }

    public ServiceProvider Provider { get; }

    public string Schema { get; }

    public IEventBus Bus => Provider.GetRequiredService<IEventBus>();

    public DurableLogAdmin Admin => Provider.GetRequiredService<DurableLogAdmin>();

    public PostgresEventLog Log => (PostgresEventLog)Admin.Log;

    public DeliveryLog Deliveries => Provider.GetRequiredService<DeliveryLog>();

    public FaultPlan Faults => Provider.GetRequiredService<FaultPlan>();

    public DurableConsumers Consumers => Provider.GetRequiredService<DurableConsumers>();

    /// <summary>Starts an instance on <paramref name="schema"/> (its search path too, for the handlers' own tables).</summary>
    public static async Task<PostgresHost> StartAsync(string schema, bool startConsumers = true, Action<PostgresOptions>? postgres = null, Action<HeraldOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<FaultPlan>();
        services.AddHerald(o =>
        {
            o.UsePostgres(PostgresServer.ConnectionStringFor(schema), p =>
            {
                p.Schema = schema;
                postgres?.Invoke(p);
            });
            o.Partitions = 4;
            o.Consumers.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Consumers.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.Consumers.MaxAttempts = 3;
            o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Consumers.LeaseDuration = TimeSpan.FromSeconds(3);
            o.Consumers.LeaseRenewalInterval = TimeSpan.FromMilliseconds(200);
            o.DeadLetterFile = Path.Combine(Path.GetTempPath(), $"herald-pg-tests-{Guid.NewGuid():N}.dead-letters.jsonl");
            configure?.Invoke(o);
        });
        var host = new PostgresHost(services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true }), schema);
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
