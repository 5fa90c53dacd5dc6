using Herald.Durable;
using Herald.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Durable.Tests;

/// <summary>
/// A consumer handles one read batch as one unit of work: when its progress is committed within the batch (before a
/// retry, before a dead letter, at the end), on every transport.
/// </summary>
public sealed class BatchProgressTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-batch-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData("InMemory")]
    [InlineData("Sqlite")]
    public async Task MixedBatch_ProgressIsCommittedBeforeARetryAndBeforeADeadLetter_AndReplayDeliversOnlyWhatWasNotHandled(string transport)
    {
        var database = Path.Combine(_folder, "mixed.db");
        var faults = new FaultPlan();
        await using var host = await TestHost.StartAsync(o =>
        {
            // One partition: positions then count every event, whatever its key.
            o.Partitions = 1;
            if (transport == "Sqlite")
                o.UseSqlite($"Data Source={database}");
            o.Consumer("billing", c => c.MaxAttempts = 3);
        }, startConsumers: false, faults: faults);
        var log = host.Admin.Log;

        // Positions 1 to 8: two of them are shipping's events, which billing never reads (its read batch is A to F, and
        // its offset passes the parcels with the batch); B fails once, D always.
        var a = Order(1);
        var b = Order(2);
        var c = Order(3);
        var d = Order(4);
        var e = Order(5);
        var f = Order(6);
        await host.Bus.PublishAsync(a);
        await host.Bus.PublishAsync(new ParcelShipped(Guid.CreateVersion7(), "post", ["p1"]));
        await host.Bus.PublishAsync(b);
        await host.Bus.PublishAsync(c);
        await host.Bus.PublishAsync(d);
        await host.Bus.PublishAsync(new ParcelShipped(Guid.CreateVersion7(), "post", ["p2"]));
        await host.Bus.PublishAsync(e);
        await host.Bus.PublishAsync(f);
        faults.FailFirst(b.OrderId, 1);
        faults.Poison(d.OrderId);
        var names = new Dictionary<Guid, string> { [a.OrderId] = "A", [b.OrderId] = "B", [c.OrderId] = "C", [d.OrderId] = "D", [e.OrderId] = "E", [f.OrderId] = "F" };
        var seen = new List<string>();
        faults.OnAttempt = (consumer, id, attempt) =>
        {
            if (consumer != "billing")
                return;
            // What is committed when each attempt starts (the handler runs on the consumer's own flow).
            var committed = LogReading.OffsetAsync(log, "billing").GetAwaiter().GetResult();
            lock (seen)
                seen.Add($"{names[id]}{attempt}@{committed}");
        };

        await host.Consumers.StartAsync(CancellationToken.None);
        await host.Deliveries.WaitForAsync("billing", 5);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal(
        [
            "A1@0", "B1@0",  // A waits for the batch's commit...
            "B2@1",          // ...which happens before B is retried
            "C1@1", "D1@1",
            "D2@4", "D3@4",  // B and C committed before D's first retry
            "E1@5", "F1@5",  // the dead letter moved the offset to D
        ], seen);
        Assert.Equal([a, b, c, e, f], host.Deliveries.Of<OrderPlaced>("billing"));
        var letter = Assert.Single(await host.Admin.ListDeadLettersAsync(new DeadLetterQuery("billing")));
        Assert.Equal(5, letter.Envelope.Position);
        Assert.Equal(3, letter.Attempts);
        Assert.Equal(8, await LogReading.OffsetAsync(log, "billing")); // past the last parcel too
        if (transport == "Sqlite")
            Assert.Equal([1L, 3L, 4L, 7L, 8L], InboxPositions(database, "billing"));

        // Replay from the start: every handled order is in the inbox; only D, now cured, is delivered.
        faults.Cure(d.OrderId);
        await host.Admin.MoveOffsetAsync("billing", 0, 0);
        await host.Deliveries.WaitForAsync("billing", 6);
        await host.WaitCaughtUpAsync("billing");

        Assert.Equal([a, b, c, e, f, d], host.Deliveries.Of<OrderPlaced>("billing"));
        Assert.Equal(8, await LogReading.OffsetAsync(log, "billing"));
    }

    [Theory]
    [InlineData("InMemory")]
    [InlineData("Sqlite")]
    public async Task Stop_MidBatch_CommitsWhatWasHandled_TheEventInProgressIsDeliveredAgain(string transport)
    {
        var database = Path.Combine(_folder, "stop.db");
        var faults = new FaultPlan();
        var memory = new InMemoryEventLog(partitions: 1); // outlives the first provider, as the database file does
        Action<HeraldOptions> configure = o =>
        {
            o.Partitions = 1;
            if (transport == "Sqlite")
                o.UseSqlite($"Data Source={database}");
            else
                o.UseLog("SharedInMemory", _ => memory);
            // A long wait before the retry: the consumer is stopped during it.
            o.Consumer("billing", c => c.RetryBaseDelay = c.RetryMaxDelay = TimeSpan.FromMinutes(5));
        };
        var orders = Enumerable.Range(1, 4).Select(Order).ToArray();
        var retrying = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        faults.FailFirst(orders[2].OrderId, 1);
        faults.OnAttempt = (_, id, attempt) =>
        {
            if (id == orders[2].OrderId && attempt == 1)
                retrying.TrySetResult();
        };

        await using (var host = await TestHost.StartAsync(configure, startConsumers: false, faults: faults))
        {
            foreach (var order in orders)
                await host.Bus.PublishAsync(order);
            await host.Consumers.StartAsync(CancellationToken.None);
            await retrying.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await host.Consumers.StopAsync(CancellationToken.None);

            Assert.Equal(2, await LogReading.OffsetAsync(host.Admin.Log, "billing"));
            Assert.Equal(orders[..2], host.Deliveries.Of<OrderPlaced>("billing"));
        }

        await using (var restarted = await TestHost.StartAsync(configure, faults: faults))
        {
            await restarted.Deliveries.WaitForAsync("billing", 2);
            await restarted.WaitCaughtUpAsync("billing");

            Assert.Equal(orders[2..], restarted.Deliveries.Of<OrderPlaced>("billing"));
        }
    }

    private static OrderPlaced Order(int sequence) => new(Guid.CreateVersion7(), "ada", sequence, sequence);

    private static long[] InboxPositions(string database, string consumer)
    {
        using var connection = new SqliteConnection($"Data Source={database};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT position FROM herald_inbox WHERE consumer = $consumer ORDER BY position";
        command.Parameters.AddWithValue("$consumer", consumer);
        using var reader = command.ExecuteReader();
        var positions = new List<long>();
        while (reader.Read())
            positions.Add(reader.GetInt64(0));
        return [.. positions];
    }
}
