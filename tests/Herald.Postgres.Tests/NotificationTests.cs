using System.Collections.Concurrent;
using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// Wake-ups across instances: an append notifies (delivered by PostgreSQL after its commit, never for a rollback), a
/// listening connection wakes the consumers of the partitions appended to, and when that connection is killed the
/// consumers go on by polling while it reconnects.
/// </summary>
public sealed class NotificationTests : IAsyncLifetime
{
    private readonly LogSchemas _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _logs.DisposeAsync().AsTask();

    [Fact]
    public async Task AnotherInstancesAppend_WakesThisOne_AfterItsCommit_AndARollbackNever()
    {
        var schema = _logs.New();
        var listening = await _logs.OpenAsync(schema, partitions: 4);
        var appending = await _logs.OpenAsync(schema, partitions: 4);
        var woken = new BlockingCollection<int>();
        using var subscription = ((IAppendNotifications)listening).Subscribe(woken.Add);
        await WaitUntilAsync(() => listening.IsListening);

        // Rolled back (in another partition): no notification. Committed: one, naming the partition, after the commit.
        var key = KeyIn(1, 4);
        var partition = 1;
        await using (var connection = await PostgresServer.ConnectAsync(schema))
        {
            await using (var rolledBack = await connection.BeginTransactionAsync())
            {
                await ((ITransactionalStream)appending.Stream).AppendAsync([LogSchemas.Envelope("gone", KeyIn(0, 4))], rolledBack, CancellationToken.None);
                await rolledBack.RollbackAsync();
            }
            await using var committed = await connection.BeginTransactionAsync();
            await ((ITransactionalStream)appending.Stream).AppendAsync([LogSchemas.Envelope("kept", key)], committed, CancellationToken.None);
            await committed.CommitAsync();
        }

        Assert.True(woken.TryTake(out var first, TimeSpan.FromSeconds(30)), "no notification after the commit");
        Assert.Equal(partition, first);
        // Notifications come in commit order: had the rollback notified, partition 0 would have come first. The log
        // writer's append of the other instance notifies too, and nothing else is queued.
        await appending.Stream.AppendAsync([LogSchemas.Envelope("writer", key)], CancellationToken.None);
        Assert.True(woken.TryTake(out var second, TimeSpan.FromSeconds(30)), "no notification after the writer's append");
        Assert.Equal(partition, second);
        Assert.Empty(woken);
    }

    [Fact]
    public async Task WhenTheListenersBackendIsTerminated_DeliveryContinues_AndTheListenerComesBack()
    {
        var schema = _logs.New("listener");
        // A long poll interval: a delivery within the test's time after a publish by another instance is a wake-up.
        await using var consumer = await PostgresHost.StartAsync(schema, configure: o => o.Consumers.PollInterval = TimeSpan.FromSeconds(2));
        await using var publisher = await PostgresHost.StartAsync(schema, startConsumers: false);
        await WaitUntilAsync(() => consumer.Log.IsListening);
        await publisher.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", 1));
        await consumer.Deliveries.WaitForAsync("billing", 1);

        // The server ends the listening connection mid-stream, while the other instance keeps publishing.
        Assert.True(await TerminateAsync(consumer.Log.ListenerProcessId), "the listener's backend was not terminated");
        for (var i = 2; i <= 5; i++)
            await publisher.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", i));

        // Delivery continues (by polling while the listener is down, by notification once it is back), in order, once each.
        await consumer.Deliveries.WaitForAsync("billing", 5);
        await WaitUntilAsync(() => consumer.Log.ListenerConnections >= 2 && consumer.Log.IsListening);
        await publisher.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "ada", 6));
        await consumer.Deliveries.WaitForAsync("billing", 6);
        await consumer.WaitCaughtUpAsync("billing");
        Assert.Equal([1, 2, 3, 4, 5, 6], consumer.Deliveries.Of<OrderPlaced>("billing").Select(o => o.Sequence));
    }

    [Fact]
    public async Task WithoutNotifications_ConsumersFindAnotherInstancesEventsByPolling()
    {
        var schema = _logs.New("polling");
        await using var consumer = await PostgresHost.StartAsync(schema, postgres: p => p.Notifications = false);
        await using var publisher = await PostgresHost.StartAsync(schema, startConsumers: false, postgres: p => p.Notifications = false);

        await publisher.Bus.PublishAsync(new OrderPlaced(Guid.CreateVersion7(), "bob", 1));

        await consumer.Deliveries.WaitForAsync("billing", 1);
        Assert.False(consumer.Log.IsListening);
        Assert.Equal(0, consumer.Log.ListenerConnections);
    }

    private static async Task<bool> TerminateAsync(int pid)
    {
        await using var admin = await PostgresServer.ConnectAsync();
        await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend($1)", admin);
        terminate.Parameters.Add(new NpgsqlParameter { Value = pid });
        return pid != 0 && await terminate.ExecuteScalarAsync() is true;
    }

    private static string KeyIn(int partition, int partitions)
    {
        for (var i = 0; ; i++)
        {
            if (Partitioning.PartitionOf($"key-{i}", partitions) == partition)
                return $"key-{i}";
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (!condition())
            await Task.Delay(10, timeout.Token);
    }
}
