using Herald.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Durable.Tests;

/// <summary>
/// The transactional outbox on SQLite, as an app uses it: its own connection and transaction on the log's database file,
/// its own row, and a durable publish that joins the transaction through <c>bus.Enlist</c>.
/// </summary>
public sealed class OutboxTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-outbox-").FullName;
    private string Database => Path.Combine(_folder, "shop.db");

    public async Task InitializeAsync()
    {
        await using var connection = await OpenAsync();
        await using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE orders (id TEXT PRIMARY KEY, customer TEXT NOT NULL)";
        await create.ExecuteNonQueryAsync();
    }

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task Commit_TheOrderRowAndTheEventCommitTogether_AndTheEventIsDeliveredOnce()
    {
        await using var host = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={Database}"));
        var order = new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 12.5m);

        await using (var connection = await OpenAsync())
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await SaveOrderAsync(connection, transaction, order);
            using (host.Bus.Enlist(transaction))
                await host.Bus.PublishAsync(order);
            Assert.Equal([order], host.Deliveries.Of<OrderPlaced>("inline")); // inline handlers ran at publish
            Assert.Empty(await LogReading.ReadAllAsync(host.Admin.Log));     // not visible before the commit
            await transaction.CommitAsync();
        }
        await host.Deliveries.WaitForAsync("billing", 1);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([order], host.Deliveries.Of<OrderPlaced>("billing"));
        Assert.Equal(1, await CountOrdersAsync());
        Assert.Single(await LogReading.ReadAllAsync(host.Admin.Log));
    }

    [Fact]
    public async Task Rollback_NeitherTheRowNorTheEvent_IsEverDelivered()
    {
        await using var host = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={Database}"));
        var rolledBack = new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 1m);
        var later = new OrderPlaced(Guid.CreateVersion7(), "ada", 2, 2m); // the same key: the same partition, after it

        await using (var connection = await OpenAsync())
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            await SaveOrderAsync(connection, transaction, rolledBack);
            using (host.Bus.Enlist(transaction))
                host.Bus.Publish(rolledBack); // a synchronous publish joins the transaction too
            await transaction.RollbackAsync();
        }
        await host.Bus.PublishAsync(later);
        await host.Deliveries.WaitForAsync("billing", 1);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([later], host.Deliveries.Of<OrderPlaced>("billing"));
        Assert.Equal([later.OrderId], (await LogReading.ReadAllAsync(host.Admin.Log)).Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("orderId").GetGuid()));
        Assert.Equal(0, await CountOrdersAsync());
    }

    [Fact]
    public async Task OutsideTheScope_PublishesGoToTheLogWriterAgain()
    {
        await using var host = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={Database}"), startConsumers: false);
        _ = host.Admin.Log; // the log's tables exist before the app's transaction takes the file's write lock
        await using (var connection = await OpenAsync())
        await using (var transaction = (SqliteTransaction)await connection.BeginTransactionAsync())
        {
            using (host.Bus.Enlist(transaction))
                await host.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", 1, 1m));
            Assert.Empty(await LogReading.ReadAllAsync(host.Admin.Log));
            await transaction.CommitAsync();
        }

        // SQLite has one writer: the log writer appends once the app's transaction has ended.
        await host.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "bob", 2, 2m));

        Assert.Equal(["ada", "bob"], (await LogReading.ReadAllAsync(host.Admin.Log)).Select(e => e.PartitionKey).Order());
    }

    [Fact]
    public async Task ATransactionOnAnotherDatabase_IsAClearError()
    {
        await using var host = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={Database}"), startConsumers: false);
        await using var other = new SqliteConnection($"Data Source={Path.Combine(_folder, "other.db")};Pooling=False");
        await other.OpenAsync();
        await using var transaction = (SqliteTransaction)await other.BeginTransactionAsync();

        var error = Assert.Throws<ArgumentException>(() => host.Bus.Enlist(transaction));

        Assert.Contains("other.db", error.Message, StringComparison.Ordinal);
        Assert.Contains("shop.db", error.Message, StringComparison.Ordinal);
        Assert.Contains("commit together only in one database", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnALogWithoutTransactions_EnlistThrowsNotSupported_SayingWhatToDoInstead()
    {
        await using var host = await TestHost.StartAsync(startConsumers: false); // in-memory
        await using var connection = await OpenAsync();
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();

        var error = Assert.Throws<NotSupportedException>(() => host.Bus.Enlist(transaction));

        Assert.Contains("InMemory log cannot append in the app's transaction", error.Message, StringComparison.Ordinal);
        Assert.Contains("Publish after your transaction commits", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnEndedTransaction_CannotBeEnlisted()
    {
        await using var host = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={Database}"), startConsumers: false);
        await using var connection = await OpenAsync();
        var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
        await transaction.CommitAsync();

        Assert.Throws<ArgumentException>(() => host.Bus.Enlist(transaction));
    }

    private async Task<SqliteConnection> OpenAsync()
    {
        var connection = new SqliteConnection($"Data Source={Database};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    private static async Task SaveOrderAsync(SqliteConnection connection, SqliteTransaction transaction, OrderPlaced order)
    {
        await using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO orders (id, customer) VALUES ($id, $customer)";
        insert.Parameters.AddWithValue("$id", order.OrderId.ToString());
        insert.Parameters.AddWithValue("$customer", order.Customer);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<long> CountOrdersAsync()
    {
        await using var connection = await OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM orders";
        return (long)(await count.ExecuteScalarAsync())!;
    }
}
