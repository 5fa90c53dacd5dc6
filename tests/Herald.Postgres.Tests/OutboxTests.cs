using System.Text.Json;
using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The transactional outbox on PostgreSQL with plain ADO.NET, as an app uses it: its own connection and transaction on
/// the log's database, its own row, and a durable publish that joins the transaction through <c>bus.Enlist</c>.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema("outbox");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task Commit_TheOrderRowAndTheEventCommitTogether_AndTheEventIsDeliveredOnce()
    {
        await using var host = await StartAsync();
        var order = new OrderPlaced(Guid.CreateVersion7(), "ada", 1);

        await using (var connection = await PostgresServer.ConnectAsync(_schema))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await SaveOrderAsync(transaction, order);
            using (host.Bus.Enlist(transaction))
                await host.Bus.PublishAsync(order);
            Assert.Empty(await ReadAllAsync(host.Log)); // not visible before the commit
            await transaction.CommitAsync();
        }
        await host.Deliveries.WaitForAsync("billing", 1);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([order], host.Deliveries.Of<OrderPlaced>("billing"));
        Assert.Equal(1L, await PostgresServer.ScalarAsync("SELECT count(*) FROM orders", _schema));
        Assert.Single(await ReadAllAsync(host.Log));
    }

    [Fact]
    public async Task Rollback_NeitherTheRowNorTheEvent_IsEverDelivered_AndTheNextEventTakesItsPosition()
    {
        await using var host = await StartAsync();
        var rolledBack = new OrderPlaced(Guid.CreateVersion7(), "ada", 1);
        var later = new OrderPlaced(Guid.CreateVersion7(), "ada", 2); // the same key: the same partition, after it

        await using (var connection = await PostgresServer.ConnectAsync(_schema))
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await SaveOrderAsync(transaction, rolledBack);
            using (host.Bus.Enlist(transaction))
                host.Bus.Publish(rolledBack); // a synchronous publish joins the transaction too
            await transaction.RollbackAsync();
        }
        await host.Bus.PublishAsync(later);
        await host.Deliveries.WaitForAsync("billing", 1);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([later], host.Deliveries.Of<OrderPlaced>("billing"));
        var stored = Assert.Single(await ReadAllAsync(host.Log));
        Assert.Equal(1, stored.Position);
        Assert.Equal(later.OrderId, JsonDocument.Parse(stored.Payload).RootElement.GetProperty("orderId").GetGuid());
        Assert.Equal(0L, await PostgresServer.ScalarAsync("SELECT count(*) FROM orders", _schema));
    }

    [Fact]
    public async Task AConnectionLostBetweenPublishAndCommit_MeansNeverDelivered()
    {
        await using var host = await StartAsync();
        var lost = new OrderPlaced(Guid.CreateVersion7(), "ada", 1);
        var later = new OrderPlaced(Guid.CreateVersion7(), "ada", 2);

        await using (var connection = await PostgresServer.ConnectAsync(_schema))
        {
            var transaction = await connection.BeginTransactionAsync();
            await SaveOrderAsync(transaction, lost);
            using (host.Bus.Enlist(transaction))
                await host.Bus.PublishAsync(lost);
            // The app's process dies here, before its commit: the server ends its backend and rolls the transaction back.
            await using (var admin = await PostgresServer.ConnectAsync())
            await using (var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin))
            {
                terminate.Parameters.Add(new NpgsqlParameter { Value = connection.ProcessID });
                Assert.Equal(true, await terminate.ExecuteScalarAsync());
            }
            await Assert.ThrowsAnyAsync<Exception>(() => transaction.CommitAsync());
        }
        await host.Bus.PublishAsync(later);
        await host.Deliveries.WaitForAsync("billing", 1);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([later], host.Deliveries.Of<OrderPlaced>("billing"));
        Assert.Equal(0L, await PostgresServer.ScalarAsync("SELECT count(*) FROM orders", _schema));
    }

    [Fact]
    public async Task ATransactionOnAnotherDatabase_IsAClearError_NamingBoth()
    {
        await using var host = await StartAsync(startConsumers: false);
        var other = "herald_other_" + Guid.NewGuid().ToString("N")[..12];
        await PostgresServer.ScalarAsync($"CREATE DATABASE {other}");
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Database = other, Pooling = false };
            await using (var connection = new NpgsqlConnection(builder.ConnectionString))
            {
                await connection.OpenAsync();
                await using var transaction = await connection.BeginTransactionAsync();

                var error = Assert.Throws<ArgumentException>(() => host.Bus.Enlist(transaction));

                Assert.Contains($"on the database '{other}'", error.Message, StringComparison.Ordinal);
                Assert.Contains("/postgres", error.Message, StringComparison.Ordinal); // the log's database
                Assert.Contains("commit together only in one database", error.Message, StringComparison.Ordinal);
                Assert.DoesNotContain("Password", error.Message, StringComparison.OrdinalIgnoreCase);
            }
        }
        finally
        {
            await PostgresServer.ScalarAsync($"DROP DATABASE {other} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task AConnectionThatSpellsTheServerOtherwise_PublishesIntoTheLog_AndAnotherDatabaseSpelledSoIsStillRefused()
    {
        await using var host = await StartAsync();
        // The log's server by another name: its IPv4 address as one decimal number (127.0.0.1 is 2130706433), which the
        // client resolves to the same address, so only asking the server can tell that it is the log's.
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionStringFor(_schema));
        var address = System.Net.IPAddress.TryParse(builder.Host, out var parsed)
            ? parsed
            : (await System.Net.Dns.GetHostAddressesAsync(builder.Host!)).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);
        var bytes = address.MapToIPv4().GetAddressBytes();
        builder.Host = ((uint)(bytes[0] << 24 | bytes[1] << 16 | bytes[2] << 8 | bytes[3])).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var orders = new[] { new OrderPlaced(Guid.CreateVersion7(), "ada", 1), new OrderPlaced(Guid.CreateVersion7(), "ada", 2) };

        foreach (var order in orders) // the first publish asks the server; the second finds the spelling confirmed
        {
            await using var connection = new NpgsqlConnection(builder.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();
            await SaveOrderAsync(transaction, order);
            using (host.Bus.Enlist(transaction))
                await host.Bus.PublishAsync(order);
            await transaction.CommitAsync();
        }
        await host.Deliveries.WaitForAsync("billing", 2);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal(orders, host.Deliveries.Of<OrderPlaced>("billing"));
        var other = "herald_other_" + Guid.NewGuid().ToString("N")[..12];
        await PostgresServer.ScalarAsync($"CREATE DATABASE {other}");
        try
        {
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Database = other, Pooling = false }.ConnectionString);
            await connection.OpenAsync();
            await using var transaction = await connection.BeginTransactionAsync();

            var error = Assert.Throws<ArgumentException>(() => host.Bus.Enlist(transaction));

            Assert.Contains($"on the database '{other}'", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            await PostgresServer.ScalarAsync($"DROP DATABASE {other} WITH (FORCE)");
        }
    }

    [Fact]
    public async Task ATransactionOfAnotherProvider_OrAnEndedOne_CannotBeEnlisted()
    {
        await using var host = await StartAsync(startConsumers: false);
        await using var connection = await PostgresServer.ConnectAsync(_schema);
        var ended = await connection.BeginTransactionAsync();
        await ended.CommitAsync();

        Assert.Throws<ArgumentException>(() => host.Bus.Enlist(ended));
    }

    private async Task<PostgresHost> StartAsync(bool startConsumers = true)
    {
        var host = await PostgresHost.StartAsync(_schema, startConsumers);
        _ = host.Log; // the schema exists before the app's table goes into it
        await PostgresServer.ScalarAsync("CREATE TABLE IF NOT EXISTS orders (id uuid PRIMARY KEY, customer text NOT NULL)", _schema);
        return host;
    }

    private static async Task SaveOrderAsync(NpgsqlTransaction transaction, OrderPlaced order)
    {
        await using var insert = new NpgsqlCommand("INSERT INTO orders (id, customer) VALUES ($1, $2)", transaction.Connection, transaction);
        insert.Parameters.Add(new NpgsqlParameter { Value = order.OrderId });
        insert.Parameters.Add(new NpgsqlParameter { Value = order.Customer });
        await insert.ExecuteNonQueryAsync();
    }

    private static async Task<List<EventEnvelope>> ReadAllAsync(IEventLog log)
    {
        var all = new List<EventEnvelope>();
        for (var partition = 0; partition < log.Stream.Partitions; partition++)
            all.AddRange((await log.Stream.ReadAsync(partition, 0, 1000, null, CancellationToken.None)).Envelopes);
        return all;
    }
}
