using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The sequence-gap problem: positions are taken at insert and become visible at commit, so with a plain sequence a
/// reader can see position 2 committed while 1 is still open, move past it, and never read it. The log takes a
/// partition's positions under that partition's row lock, held to the end of the appending transaction (see
/// PostgresStream): a second append to the partition waits for the first, so what a reader sees of a partition is
/// always a prefix of it.
/// </summary>
public sealed class GaplessReadingTests : IAsyncLifetime
{
    private readonly LogSchemas _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _logs.DisposeAsync().AsTask();

    [Fact]
    public async Task AnEarlierTransactionThatCommitsLater_IsNotSkipped_BothAreReadInPartitionOrder_OnceEach()
    {
        var log = await _logs.OpenAsync(partitions: 1);
        var stream = (ITransactionalStream)log.Stream;

        // Transaction 1 appends and stays open.
        await using var connection1 = await PostgresServer.ConnectAsync(log.Schema);
        await using var tx1 = await connection1.BeginTransactionAsync();
        await stream.AppendAsync([LogSchemas.Envelope("tx1")], tx1, CancellationToken.None);

        // Transaction 2 appends to the same partition and commits: its append waits for transaction 1's row lock (the
        // server shows its backend waiting on a lock), so it cannot take a position, let alone commit, before 1 ends.
        await using var connection2 = await PostgresServer.ConnectAsync(log.Schema);
        var tx2Committed = Task.Run(async () =>
        {
            await using var tx2 = await connection2.BeginTransactionAsync();
            await stream.AppendAsync([LogSchemas.Envelope("tx2")], tx2, CancellationToken.None);
            await tx2.CommitAsync();
        });
        await WaitUntilWaitingOnALockAsync(connection2.ProcessID, tx2Committed);

        // The consumer reads: nothing is visible, and it has scanned nothing it could move its offset past.
        var offset = 0L;
        var early = await log.Stream.ReadAsync(0, offset, 100, null, CancellationToken.None);
        Assert.Empty(early.Envelopes);
        Assert.Equal(0, early.ScannedTo);
        offset = early.ScannedTo;

        // Transaction 1 commits; transaction 2 then takes the next position and commits.
        await tx1.CommitAsync();
        await tx2Committed.WaitAsync(TimeSpan.FromSeconds(30));

        // The consumer, going on from its offset, gets both, in partition order, once each.
        var delivered = new List<EventEnvelope>();
        while (true)
        {
            var page = await log.Stream.ReadAsync(0, offset, 1, null, CancellationToken.None);
            if (page.Envelopes.Count == 0)
                break;
            delivered.AddRange(page.Envelopes);
            offset = page.ScannedTo;
        }
        Assert.Equal(["tx1", "tx2"], delivered.Select(LogSchemas.NameOf));
        Assert.Equal([1L, 2L], delivered.Select(e => e.Position));
        Assert.Equal(2, offset);
    }

    [Fact]
    public async Task ARolledBackAppend_GivesItsPositionBack_SoTheNextAppendHasNoGap()
    {
        var log = await _logs.OpenAsync(partitions: 1);
        var stream = (ITransactionalStream)log.Stream;
        await using (var connection = await PostgresServer.ConnectAsync(log.Schema))
        await using (var rolledBack = await connection.BeginTransactionAsync())
        {
            Assert.Equal(1, (await stream.AppendAsync([LogSchemas.Envelope("gone")], rolledBack, CancellationToken.None))[0].Position);
            await rolledBack.RollbackAsync();
        }

        var positions = await log.Stream.AppendAsync([LogSchemas.Envelope("kept")], CancellationToken.None);

        Assert.Equal(1, positions[0].Position);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);
        Assert.Equal(["kept"], page.Envelopes.Select(LogSchemas.NameOf));
    }

    [Fact]
    public async Task AppendsToOtherPartitions_DoNotWaitForAnOpenTransaction()
    {
        var log = await _logs.OpenAsync(partitions: 4);
        var stream = (ITransactionalStream)log.Stream;
        var keyIn0 = KeyIn(0, 4);
        var keyIn1 = KeyIn(1, 4);
        await using var connection = await PostgresServer.ConnectAsync(log.Schema);
        await using var open = await connection.BeginTransactionAsync();
        await stream.AppendAsync([LogSchemas.Envelope("open", keyIn0)], open, CancellationToken.None);

        // The log writer's append to another partition completes while the transaction holds partition 0.
        var other = await log.Stream.AppendAsync([LogSchemas.Envelope("other", keyIn1)], CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(new LogPosition(1, 1), other[0]);
        await open.RollbackAsync();
    }

    private static string KeyIn(int partition, int partitions)
    {
        for (var i = 0; ; i++)
        {
            if (Partitioning.PartitionOf($"key-{i}", partitions) == partition)
                return $"key-{i}";
        }
    }

    // Waits (on the server's own report, not a sleep) until backend <pid> waits on a lock; fails if the work ended first.
    private static async Task WaitUntilWaitingOnALockAsync(int pid, Task work)
    {
        await using var watcher = await PostgresServer.ConnectAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (work.IsCompleted)
            {
                await work;
                Assert.Fail("The second append completed while the first transaction was open.");
            }
            await using var command = new NpgsqlCommand("SELECT wait_event_type FROM pg_stat_activity WHERE pid = $1", watcher);
            command.Parameters.Add(new NpgsqlParameter { Value = pid });
            if (await command.ExecuteScalarAsync(timeout.Token) is "Lock")
                return;
            await Task.Delay(10, timeout.Token);
        }
    }
}
