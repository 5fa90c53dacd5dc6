using Herald.Durable.Tests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Postgres.Tests;

/// <summary><c>UsePostgres</c> and <c>Herald:Transport=Postgres</c> from configuration, as an app registers the log.</summary>
public sealed class RegistrationTests : IAsyncLifetime
{
    private readonly LogSchemas _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _logs.DisposeAsync().AsTask();

    [Fact]
    public async Task UsePostgres_RegistersThePostgresLog_InTheSchemaItNames()
    {
        var schema = _logs.New("register");
        var services = new ServiceCollection();
        services.AddHerald(o => o.UsePostgres(PostgresServer.ConnectionString, p => p.Schema = schema));
        await using var provider = services.BuildServiceProvider();

        var log = Assert.IsType<PostgresEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);

        Assert.Equal(schema, log.Schema);
        Assert.Equal("Postgres", log.Transport);
        Assert.Equal(Partitioning.DefaultPartitions, log.Stream.Partitions);
        Assert.Equal(1L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{schema}\".schema_version"));
    }

    [Fact]
    public async Task TheTransport_FromConfiguration_UsesTheConnectionStringAndTheSchema_AndEventsFlow()
    {
        var schema = _logs.New("configured");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Transport"] = "Postgres",
            ["Herald:Partitions"] = "2",
            ["Herald:Postgres:ConnectionString"] = PostgresServer.ConnectionString,
            ["Herald:Postgres:Schema"] = schema,
            ["Herald:Postgres:ReconnectTimeoutMs"] = "5000",
            ["Herald:Postgres:Notifications"] = "false",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<FaultPlan>();
        services.AddHerald(configuration.GetSection("Herald"), o => o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50));
        await using var provider = services.BuildServiceProvider();
        var consumers = provider.GetRequiredService<DurableConsumers>();
        await consumers.StartAsync(CancellationToken.None);

        await provider.GetRequiredService<IEventBus>().PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", 1));
        await provider.GetRequiredService<DeliveryLog>().WaitForAsync("billing", 1);
        await consumers.StopAsync(CancellationToken.None);

        var log = Assert.IsType<PostgresEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);
        Assert.Equal(schema, log.Schema);
        Assert.Equal(2, log.Stream.Partitions);
        Assert.Equal(1L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events"));
    }

    [Fact]
    public void WithoutAConnectionString_TheMessageSaysWhichKeyToSet()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Configure(new() { ["Herald:Transport"] = "Postgres" }));

        Assert.Contains("Herald:Postgres:ConnectionString is missing", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Herald__Postgres__ConnectionString", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadSchemaFromConfiguration_NamesTheKey_AndIsNeverUsed()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Configure(new()
        {
            ["Herald:Transport"] = "Postgres",
            ["Herald:Postgres:ConnectionString"] = "Host=db;Password=hidden-Value-2",
            ["Herald:Postgres:Schema"] = "x; DROP SCHEMA public",
        }));

        Assert.Contains("Herald:Postgres:Schema", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-Value-2", failure.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ABadConnectionStringFromConfiguration_NamesTheKey_WithoutItsValue()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Configure(new()
        {
            ["Herald:Transport"] = "Postgres",
            ["Herald:Postgres:ConnectionString"] = "Host=db;Unknown=hidden-Value-3",
        }));

        Assert.Contains("Herald:Postgres:ConnectionString cannot be used", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-Value-3", failure.ToString(), StringComparison.Ordinal);
    }

    private static void Configure(Dictionary<string, string?> values)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        new ServiceCollection().AddHerald(configuration.GetSection("Herald"));
    }
}
