using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// <see cref="PostgresOptions.PrepareStatements"/>: the outbox's append prepares its statements on the app's connection
/// once per physical connection, not when the option is off (a pooler that cannot keep prepared statements), and the
/// log's own pool never prepares. Read from <c>pg_prepared_statements</c>, the server's own
/// list for the session.
/// </summary>
public sealed class PreparedStatementTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema("prepared");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task AnEnlistedPublish_PreparesTheAppend_OnTheAppsConnection_Once()
    {
        await using var host = await PostgresHost.StartAsync(_schema, startConsumers: false);
        await using var connection = await PostgresServer.ConnectAsync(_schema);

        await PublishInTransactionAsync(host, connection, new OrderPlaced(Guid.CreateVersion7(), "ada", 1));
        var afterFirst = await PreparedOfLogAsync(connection);
        await PublishInTransactionAsync(host, connection, new OrderPlaced(Guid.CreateVersion7(), "ada", 2));
        var afterSecond = await PreparedOfLogAsync(connection);

        // The lock, the reservation and the insert name the log's tables (the notification does not).
        Assert.Equal(3, afterFirst);
        Assert.Equal(afterFirst, afterSecond); // the second publish reused them: nothing prepared again
        Assert.Equal(2L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{_schema}\".events"));
    }

    [Fact]
    public async Task WithoutPrepareStatements_NothingIsPrepared_AndTheEventsStillCommit()
    {
        await using var host = await PostgresHost.StartAsync(_schema, startConsumers: false, postgres: p => p.PrepareStatements = false);
        await using var connection = await PostgresServer.ConnectAsync(_schema);

        await PublishInTransactionAsync(host, connection, new OrderPlaced(Guid.CreateVersion7(), "ada", 1));
        await PublishInTransactionAsync(host, connection, new OrderPlaced(Guid.CreateVersion7(), "ada", 2));

        Assert.Equal(0, await PreparedOfLogAsync(connection));
        Assert.Equal(2L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{_schema}\".events"));
    }

    [Fact]
    public async Task TheLogsOwnPool_PreparesNothing_WhateverTheOption()
    {
        // Auto-preparing the log's own statements made the consumers six times slower in the latency run
        // (benchmarks/README.md, "Prepared statements"): this keeps it from coming back unnoticed. One connection in
        // the pool, so the session asked afterwards is the one that appended.
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { MaxPoolSize = 1 }.ConnectionString;
        await using var log = await PostgresEventLog.OpenAsync(new PostgresOptions
        {
            ConnectionString = connectionString,
            Schema = _schema,
            Notifications = false,
            PrepareStatements = true,
        });
        for (var i = 0; i < 6; i++)
            await log.Stream.AppendAsync([LogSchemas.Envelope($"e{i}")], CancellationToken.None);

        await using var connection = await log.DataSource.OpenConnectionAsync();

        Assert.Equal(0, await PreparedOfLogAsync(connection));
        Assert.Equal(6L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{_schema}\".events"));
    }

    [Fact]
    public async Task PrepareStatements_FromConfiguration_TurnsItOff_AndABadValueNamesTheKey()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => Configure("sometimes").Dispose());
        Assert.Equal("Herald:Postgres:PrepareStatements is 'sometimes'; expected true or false.", failure.Message);

        await using var provider = Configure("false");
        var bus = provider.GetRequiredService<IEventBus>();
        await using var connection = await PostgresServer.ConnectAsync(_schema);
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            using (bus.Enlist(transaction))
                await bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", 1));
            await transaction.CommitAsync();
        }

        Assert.Equal(0, await PreparedOfLogAsync(connection));
        Assert.Equal(1L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{_schema}\".events"));
    }

    private ServiceProvider Configure(string prepare)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Herald:Transport"] = "Postgres",
            ["Herald:Postgres:ConnectionString"] = PostgresServer.ConnectionString,
            ["Herald:Postgres:Schema"] = _schema,
            ["Herald:Postgres:PrepareStatements"] = prepare,
        }).Build();
        var services = new ServiceCollection();
        services.AddHerald(configuration.GetSection("Herald"));
        return services.BuildServiceProvider();
    }

    private static async Task PublishInTransactionAsync(PostgresHost host, NpgsqlConnection connection, OrderPlaced order)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        using (host.Bus.Enlist(transaction))
            await host.Bus.PublishAsync(order);
        await transaction.CommitAsync();
    }

    private async Task<int> PreparedOfLogAsync(NpgsqlConnection connection)
    {
        await using var count = new NpgsqlCommand("SELECT count(*)::int FROM pg_prepared_statements WHERE statement LIKE '%' || $1 || '%'", connection);
        count.Parameters.Add(new NpgsqlParameter { Value = $"\"{_schema}\".partitions" });
        return (int)(await count.ExecuteScalarAsync())!;
    }
}
