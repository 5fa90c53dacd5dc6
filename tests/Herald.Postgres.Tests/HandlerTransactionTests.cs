using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The handler's transaction as an app uses it: <c>DurableContext.Current.GetTransactionAsync()</c> is an
/// <see cref="NpgsqlTransaction"/> on the log's database; the handler's row commits with its inbox mark and the
/// offset, and a handler that fails has its row rolled back.
/// </summary>
public sealed class HandlerTransactionTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema("handler");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task TheHandlersRow_CommitsWithTheOffset_AndAFailingHandlersRowIsRolledBack()
    {
        await using var host = await PostgresHost.StartAsync(_schema, startConsumers: false);
        _ = host.Log; // creates the schema, where the handler's table goes
        await PostgresServer.ScalarAsync(Ledger.CreateTable, _schema);
        var good = new PaymentReceived(Guid.CreateVersion7(), "acct-1", 10m);
        var poison = new PaymentReceived(Guid.CreateVersion7(), "acct-1", 20m);
        var after = new PaymentReceived(Guid.CreateVersion7(), "acct-1", 30m);
        host.Faults.Poison(poison.PaymentId);

        await host.Bus.PublishAsync(good);
        await host.Bus.PublishAsync(poison);
        await host.Bus.PublishAsync(after);
        await host.Consumers.StartAsync(CancellationToken.None);
        await host.Deliveries.WaitForAsync("ledger", 2);
        await host.WaitCaughtUpAsync("ledger");

        // The poison payment's row was written on each of its 3 attempts and rolled back each time; it is a dead letter.
        Assert.Equal(3, host.Faults.AttemptsOf("ledger", poison.PaymentId));
        Assert.Equal(2L, await PostgresServer.ScalarAsync("SELECT count(*) FROM ledger", _schema));
        Assert.Equal(0L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM ledger WHERE payment_id = '{poison.PaymentId}'", _schema));
        Assert.Equal(1, await host.Log.DeadLetters.CountAsync(new DeadLetterQuery(Consumer: "ledger"), CancellationToken.None));
        // Each row was written once, on the first attempt, in the transaction that committed its mark and the offset.
        Assert.Equal(2L, await PostgresServer.ScalarAsync("SELECT count(*) FROM ledger WHERE attempt = 1", _schema));
        var partition = Partitioning.PartitionOf("acct-1", host.Log.Stream.Partitions);
        var offsets = await host.Log.Checkpoints.GetOffsetsAsync("ledger", CancellationToken.None);
        Assert.Equal(3, offsets.Single(o => o.Partition == partition).Position);
        Assert.Equal(2, (await host.Log.Checkpoints.FindHandledAsync("ledger", await ReadAllAsync(host.Log, partition), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task TheHandlersTransaction_IsAnNpgsqlTransaction_OnTheLogsDatabase()
    {
        await using var host = await PostgresHost.StartAsync(_schema);
        await PostgresServer.ScalarAsync(Ledger.CreateTable, _schema);
        var payment = new PaymentReceived(Guid.CreateVersion7(), "acct-2", 5m);

        await host.Bus.PublishAsync(payment);
        await host.Deliveries.WaitForAsync("ledger", 1);
        await host.WaitCaughtUpAsync("ledger");

        Assert.Equal(5m, await PostgresServer.ScalarAsync($"SELECT amount FROM ledger WHERE payment_id = '{payment.PaymentId}'", _schema));
    }

    private static async Task<List<EventEnvelope>> ReadAllAsync(IEventLog log, int partition)
        => [.. (await log.Stream.ReadAsync(partition, 0, 1000, null, CancellationToken.None)).Envelopes];
}
