using System.Collections.Concurrent;

namespace Herald.Postgres.Tests;

/// <summary>
/// Which consumer commits wait for the WAL flush: a commit of Herald's own transaction (inbox marks and the offset, no
/// handler's writes, no dead letter) commits with <c>synchronous_commit = off</c>, so a server crash can only take back
/// the last fraction of a second of offsets (those events are delivered again); a commit in the handler's transaction,
/// and one with a dead letter, keep the server's synchronous commit. Read by the server inside each commit's own
/// transaction.
/// </summary>
public sealed class SynchronousCommitTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema("synccommit");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task CommitsWithoutTheHandlersTransaction_AreAsynchronous_AndTheHandlersTransactionAndDeadLettersStaySynchronous()
    {
        await using var host = await PostgresHost.StartAsync(_schema, startConsumers: false);
        _ = host.Log; // creates the schema, where the handler's table goes
        await PostgresServer.ScalarAsync(Ledger.CreateTable, _schema);
        var commits = new ConcurrentQueue<(string Consumer, int Marks, bool DeadLetter, string Setting)>();
        ((PostgresCheckpoints)host.Log.Checkpoints).Committed = (commit, setting) =>
            commits.Enqueue((commit.Lease.Consumer, commit.Marks.Count, commit.DeadLetter is not null, setting));
        var poison = new OrderPlaced(Guid.CreateVersion7(), "customer-1", 2);
        host.Faults.Poison(poison.OrderId);

        await host.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "customer-1", 1));
        await host.Bus.PublishAsync(poison);
        await host.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "customer-1", 3));
        await host.Bus.PublishAsync(new PaymentReceived(Guid.CreateVersion7(), "acct-1", 10m));
        await host.Bus.PublishAsync(new PaymentReceived(Guid.CreateVersion7(), "acct-1", 20m));
        await host.Consumers.StartAsync(CancellationToken.None);
        await host.Deliveries.WaitForAsync("billing", 2);
        await host.Deliveries.WaitForAsync("ledger", 2);
        await host.WaitCaughtUpAsync("billing");
        await host.WaitCaughtUpAsync("ledger");

        // billing does not use the transaction: its marks commit asynchronously, its dead letter synchronously.
        var billing = commits.Where(c => c.Consumer == "billing").ToList();
        Assert.Contains(billing, c => c is { Marks: > 0, DeadLetter: false });
        Assert.All(billing.Where(c => !c.DeadLetter), c => Assert.Equal("off", c.Setting));
        Assert.Equal("on", Assert.Single(billing, c => c.DeadLetter).Setting);
        // ledger writes its rows in the handler's transaction: every commit with a mark is the handler's, synchronous.
        var ledger = commits.Where(c => c.Consumer == "ledger" && c.Marks > 0).ToList();
        Assert.Equal(2, ledger.Count);
        Assert.All(ledger, c => Assert.Equal("on", c.Setting));
        Assert.Equal(2L, await PostgresServer.ScalarAsync("SELECT count(*) FROM ledger", _schema));
    }
}
