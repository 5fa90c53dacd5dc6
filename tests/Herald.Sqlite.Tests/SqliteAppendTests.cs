using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

/// <summary>What is particular to appends and reads on a SQLite file (the contract is the specification's).</summary>
public sealed class SqliteAppendTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task AppendAsync_RowRejectedMidBatch_LeavesNothingOfTheBatch_AndNoGapInThePositions()
    {
        var log = _database.Open();
        await log.Stream.AppendAsync(Envelopes.Batch(2), CancellationToken.None);
        // A real constraint failure inside SQLite, on the third row of the batch.
        _database.Execute("""
            CREATE TRIGGER reject_poison BEFORE INSERT ON herald_events WHEN NEW.type = 'test.poison'
            BEGIN SELECT RAISE(ABORT, 'poison envelope'); END;
            """);
        EventEnvelope[] batch = [Envelopes.Create(), Envelopes.Create(), Envelopes.Create("test.poison"), Envelopes.Create()];

        var failure = await Assert.ThrowsAsync<SqliteException>(() => log.Stream.AppendAsync(batch, CancellationToken.None).AsTask());

        Assert.Contains("poison envelope", failure.Message, StringComparison.Ordinal);
        Assert.Equal([1L, 2L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
        Assert.Equal(new PartitionBounds(0, 1, 2), Assert.Single(await log.Stream.GetBoundsAsync(CancellationToken.None)));
        Assert.Equal(new long[] { 3, 4 }, Envelopes.Positions(await log.Stream.AppendAsync(Envelopes.Batch(2), CancellationToken.None)));
    }

    [Fact]
    public async Task AppendAsync_DatabaseLockedPastBusyTimeout_ThrowsAndLeavesNothing()
    {
        var log = _database.Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(100));
        await log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None);
        using (var blocker = _database.Connect())
        {
            using var transaction = blocker.BeginTransaction(deferred: false);
            using (var write = blocker.CreateCommand())
            {
                write.Transaction = transaction;
                write.CommandText = "CREATE TABLE held (x INTEGER);"; // takes the write lock and keeps it
                write.ExecuteNonQuery();
            }

            var failure = await Assert.ThrowsAsync<SqliteException>(() => log.Stream.AppendAsync(Envelopes.Batch(3), CancellationToken.None).AsTask());

            Assert.Equal(5, failure.SqliteErrorCode); // SQLITE_BUSY
            Assert.Equal([1L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
            transaction.Rollback();
        }

        Assert.Equal(new long[] { 2, 3 }, Envelopes.Positions(await log.Stream.AppendAsync(Envelopes.Batch(2), CancellationToken.None)));
    }

    [Fact]
    public async Task AppendAsync_CanceledBeforeItStarts_WritesNothing()
    {
        var log = _database.Open();
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => log.Stream.AppendAsync(Envelopes.Batch(2), canceled.Token).AsTask());

        Assert.Equal(new PartitionBounds(0, 1, 0), Assert.Single(await log.Stream.GetBoundsAsync(CancellationToken.None)));
    }

    [Fact]
    public async Task AppendAsync_DatabaseFileRemovedWhileOpen_ThrowsInsteadOfWritingIntoTheVoid()
    {
        var log = _database.Open();
        await log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None);
        File.Delete(_database.FilePath);

        var failure = await Assert.ThrowsAsync<IOException>(() => log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask());

        Assert.Contains("was removed", failure.Message, StringComparison.Ordinal);
        Assert.Contains(_database.FilePath, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoLogsOnOneFile_AsTwoProcessesWouldOpenIt_AppendAtOnce_EachPartitionStaysGapless()
    {
        var one = _database.Open(o => o.Partitions = 4);
        var two = _database.Open(o => o.Partitions = 4);
        var sent = new System.Collections.Concurrent.ConcurrentBag<Guid>();

        await Task.WhenAll(new[] { one, two }.Select(log => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var batch = Enumerable.Range(0, 20).Select(j => Envelopes.Create(partitionKey: $"k{j}")).ToArray();
                await log.Stream.AppendAsync(batch, CancellationToken.None);
                foreach (var envelope in batch)
                    sent.Add(envelope.Id);
            }
        })));

        var stored = await Envelopes.ReadAllAsync(one);
        Assert.Equal(sent.Order(), stored.Select(e => e.Id).Order());
        foreach (var partition in stored.GroupBy(e => e.Partition))
            Assert.Equal(Enumerable.Range(1, partition.Count()).Select(p => (long)p), partition.Select(e => e.Position));
    }

    [Fact]
    public async Task FindPositionAsync_TimeWithinAMillisecond_ComparesWithTheStoredMillisecond()
    {
        var log = _database.Open();
        var t = Envelopes.BaseTime;
        // Stored as t + 1 ms (sub-millisecond ticks are dropped).
        await log.Stream.AppendAsync([Envelopes.Create(occurredAt: t), Envelopes.Create(occurredAt: t.AddMilliseconds(1).AddTicks(5000))], CancellationToken.None);

        Assert.Equal(1, await log.Stream.FindPositionAsync(0, t.AddTicks(1), CancellationToken.None));
        Assert.Equal(1, await log.Stream.FindPositionAsync(0, t.AddMilliseconds(1), CancellationToken.None));
        Assert.Equal(2, await log.Stream.FindPositionAsync(0, t.AddMilliseconds(1).AddTicks(1), CancellationToken.None));
    }

    [Fact]
    public async Task FindPositionAsync_OrdersByPositionNotByTime()
    {
        var log = _database.Open();
        var t = Envelopes.BaseTime;
        // A replayed dead letter keeps its old time at a new position.
        await log.Stream.AppendAsync([Envelopes.Create(occurredAt: t.AddSeconds(10)), Envelopes.Create(occurredAt: t)], CancellationToken.None);

        Assert.Equal(0, await log.Stream.FindPositionAsync(0, t.AddSeconds(5), CancellationToken.None));
    }

    [Fact]
    public async Task Log_AfterDispose_RefusesCalls()
    {
        var log = _database.Open();
        await log.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.Stream.ReadAsync(0, 0, 1, null, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => log.Checkpoints.GetOffsetsAsync("a", CancellationToken.None).AsTask());
    }
}
