using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

public sealed class AppendAndReadTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task AppendAsync_ReturnsIncreasingPositionsInBatchOrder()
    {
        var log = _database.Open();

        var first = await log.AppendAsync(Envelopes.Batch(3), CancellationToken.None);
        var second = await log.AppendAsync(Envelopes.Batch(2), CancellationToken.None);

        Assert.Equal([1L, 2L, 3L], first);
        Assert.Equal([4L, 5L], second);
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_ReturnsNoPositionsAndWritesNothing()
    {
        var log = _database.Open();

        var positions = await log.AppendAsync([], CancellationToken.None);

        Assert.Empty(positions);
        Assert.Equal(new LogBounds(1, 0), await log.GetBoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_ReturnsEnvelopesAfterThePosition_AscendingAndAtMostMaxCount()
    {
        var log = _database.Open();
        var batch = Envelopes.Batch(10);
        await log.AppendAsync(batch, CancellationToken.None);

        var read = await log.ReadAsync(3, 4, CancellationToken.None);

        Assert.Equal([4L, 5L, 6L, 7L], read.Select(e => e.Position));
        Assert.Equal(batch[3..7].Select(e => e.Id), read.Select(e => e.Id));
        Assert.Empty(await log.ReadAsync(10, 5, CancellationToken.None));
        Assert.Equal([9L, 10L], (await log.ReadAsync(8, 100, CancellationToken.None)).Select(e => e.Position));
    }

    [Fact]
    public async Task ReadAsync_RoundTripsEveryEnvelopeField()
    {
        var log = _database.Open();
        var occurredAt = new DateTimeOffset(2026, 5, 1, 12, 30, 15, 123, TimeSpan.FromHours(2)).AddTicks(4567);
        var headers = new Dictionary<string, string>
        {
            ["traceparent"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            ["correlation-id"] = "order-42",
            ["quote\"and\\slash"] = "ünïcödé ✓",
        };
        var withEverything = new EventEnvelope(Guid.CreateVersion7(), "orders.created", 3, occurredAt, "order-42", headers,
            """{"orderId":"42","sku":"A-1","quantity":2}"""u8.ToArray());
        var withNothing = new EventEnvelope(Guid.CreateVersion7(), "audit.ping", 1, occurredAt, null, null, ReadOnlyMemory<byte>.Empty);

        await log.AppendAsync([withEverything, withNothing], CancellationToken.None);
        var read = await log.ReadAsync(0, 10, CancellationToken.None);

        var first = read[0];
        Assert.Equal(withEverything.Id, first.Id);
        Assert.Equal("orders.created", first.Type);
        Assert.Equal(3, first.Version);
        Assert.Equal(new DateTimeOffset(2026, 5, 1, 10, 30, 15, 123, TimeSpan.Zero), first.OccurredAt); // UTC, whole milliseconds
        Assert.Equal("order-42", first.PartitionKey);
        Assert.Equal(headers.OrderBy(h => h.Key), first.Headers.OrderBy(h => h.Key));
        Assert.Equal(withEverything.Payload.ToArray(), first.Payload.ToArray());
        Assert.Equal(1, first.Position);

        var second = read[1];
        Assert.Equal(withNothing.Id, second.Id);
        Assert.Null(second.PartitionKey);
        Assert.Empty(second.Headers);
        Assert.Equal(0, second.Payload.Length);
        Assert.Equal(2, second.Position);
    }

    [Fact]
    public async Task GetBoundsAsync_GivesFirstAndLastPositions()
    {
        var log = _database.Open();
        Assert.Equal(new LogBounds(1, 0), await log.GetBoundsAsync(CancellationToken.None));

        await log.AppendAsync(Envelopes.Batch(4), CancellationToken.None);

        Assert.Equal(new LogBounds(1, 4), await log.GetBoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_RowRejectedMidBatch_LeavesNothingOfTheBatch()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(2), CancellationToken.None);
        // A real constraint failure inside SQLite, on the third row of the batch.
        _database.Execute("""
            CREATE TRIGGER reject_poison BEFORE INSERT ON herald_events WHEN NEW.type = 'test.poison'
            BEGIN SELECT RAISE(ABORT, 'poison envelope'); END;
            """);
        EventEnvelope[] batch = [Envelopes.Create(), Envelopes.Create(), Envelopes.Create("test.poison"), Envelopes.Create()];

        var failure = await Assert.ThrowsAsync<SqliteException>(() => log.AppendAsync(batch, CancellationToken.None).AsTask());

        Assert.Contains("poison envelope", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1L, 2L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM herald_events WHERE position > 2"));
        Assert.Equal(new LogBounds(1, 2), await log.GetBoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_AfterAFailedBatch_AppendsAtTheNextPositions()
    {
        var log = _database.Open();
        _database.Execute("""
            CREATE TRIGGER reject_poison BEFORE INSERT ON herald_events WHEN NEW.type = 'test.poison'
            BEGIN SELECT RAISE(ABORT, 'poison envelope'); END;
            """);
        await log.AppendAsync(Envelopes.Batch(2), CancellationToken.None);
        await Assert.ThrowsAsync<SqliteException>(() => log.AppendAsync([Envelopes.Create(), Envelopes.Create("test.poison")], CancellationToken.None).AsTask());

        var positions = await log.AppendAsync(Envelopes.Batch(2), CancellationToken.None);

        Assert.Equal([3L, 4L], positions);
        Assert.Equal([1L, 2L, 3L, 4L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
    }

    [Fact]
    public async Task AppendAsync_DatabaseLockedPastBusyTimeout_ThrowsAndLeavesNothing()
    {
        var log = _database.Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(100));
        await log.AppendAsync(Envelopes.Batch(1), CancellationToken.None);
        using (var blocker = _database.Connect())
        {
            using var transaction = blocker.BeginTransaction(deferred: false);
            using (var write = blocker.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = "CREATE TABLE held (x INTEGER);"; // takes the write lock and keeps it
                write.ExecuteNonQuery();
            }

            var failure = await Assert.ThrowsAsync<SqliteException>(() => log.AppendAsync(Envelopes.Batch(3), CancellationToken.None).AsTask());

            Assert.Equal(5, failure.SqliteErrorCode); // SQLITE_BUSY
            Assert.Equal([1L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
            transaction.Rollback();
        }

        Assert.Equal([2L, 3L], await log.AppendAsync(Envelopes.Batch(2), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_CanceledBeforeItStarts_WritesNothing()
    {
        var log = _database.Open();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.AppendAsync(Envelopes.Batch(2), canceled.Token).AsTask());

        Assert.Equal(new LogBounds(1, 0), await log.GetBoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_DatabaseFileRemovedWhileOpen_ThrowsInsteadOfWritingIntoTheVoid()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(1), CancellationToken.None);
        File.Delete(_database.FilePath);

        var failure = await Assert.ThrowsAsync<IOException>(() => log.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask());

        Assert.Contains("was removed", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_database.FilePath, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_MaxCountBelowOne_Throws()
    {
        var log = _database.Open();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ReadAsync(0, 0, CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Log_AfterDispose_RefusesCalls()
    {
        var log = _database.Open();
        await log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.ReadAsync(0, 1, CancellationToken.None).AsTask());
    }
}
