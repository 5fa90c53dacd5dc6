using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

/// <summary>A consumer's read batch as one unit of work: one inbox lookup, pending marks, one progress commit.</summary>
public sealed class HandlingBatchTests : IAsyncLifetime
{
    private const string Consumer = "ledger";
    private readonly TempDatabase _database = new();

    public Task InitializeAsync()
    {
        _database.Execute("CREATE TABLE ledger (event_id TEXT NOT NULL UNIQUE);");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task CompletedEnvelopes_AreCommittedOnlyByCommitAsync_AllMarksAndTheOffsetAtOnce()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 5);

        await using (var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None))
        {
            foreach (var envelope in envelopes)
                await CompleteAsync(batch, envelope);

            Assert.Null(await log.GetOffsetAsync(Consumer, CancellationToken.None));
            Assert.Equal(0, InboxCount());

            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(envelopes[^1].Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(envelopes.Select(e => e.Position), MarkedPositions());
    }

    [Fact]
    public async Task DisposedMidBatch_TheNextBatchHoldsExactlyTheUncommittedEnvelopes_NoneMarkedHandled()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 6);

        await using (var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None))
        {
            await CompleteAsync(batch, envelopes[0]);
            await CompleteAsync(batch, envelopes[1]);
            await batch.CommitAsync(CancellationToken.None);
            await CompleteAsync(batch, envelopes[2]);
            await CompleteAsync(batch, envelopes[3]);
            // Disposed here, as when the process dies: 3 and 4 were handled but their progress is not committed.
        }

        var offset = (await log.GetOffsetAsync(Consumer, CancellationToken.None))!.Value;
        Assert.Equal(envelopes[1].Position, offset);
        Assert.Equal([envelopes[0].Position, envelopes[1].Position], MarkedPositions());
        var again = await log.ReadAsync(offset, 100, CancellationToken.None);
        Assert.Equal(envelopes.Skip(2).Select(e => e.Id), again.Select(e => e.Id));
        await using var redelivery = await log.BeginHandlingAsync(Consumer, again, CancellationToken.None);
        foreach (var envelope in again)
        {
            await using var scope = await redelivery.BeginAsync(envelope, CancellationToken.None);
            Assert.False(scope.AlreadyHandled);
        }
    }

    [Fact]
    public async Task TheBatchsInboxLookup_ReportsEveryMarkedEnvelope_AcrossSeveralLookupChunks()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, (2 * SqliteHandlingBatch.InboxChunk) + 7);
        var marked = envelopes.Where((_, i) => i % 3 == 1).ToHashSet();
        foreach (var envelope in marked)
        {
            await using var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None);
            await scope.CompleteAsync(CancellationToken.None);
        }
        // Another consumer's marks are not this consumer's.
        await using (var other = await log.BeginHandlingAsync("other", envelopes[0], CancellationToken.None))
            await other.CompleteAsync(CancellationToken.None);

        await using var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None);
        foreach (var envelope in envelopes)
        {
            await using var scope = await batch.BeginAsync(envelope, CancellationToken.None);
            Assert.Equal(marked.Contains(envelope), scope.AlreadyHandled);
        }
    }

    [Fact]
    public async Task TheSameIdTwiceInOneBatch_TheSecondCopyIsAlreadyHandled()
    {
        var log = _database.Open();
        var envelope = Envelopes.Create();
        await log.AppendAsync([envelope, envelope], CancellationToken.None); // a replayed dead letter keeps its id
        var copies = await log.ReadAsync(0, 10, CancellationToken.None);

        await using var batch = await log.BeginHandlingAsync(Consumer, copies, CancellationToken.None);
        await using (var first = await batch.BeginAsync(copies[0], CancellationToken.None))
        {
            Assert.False(first.AlreadyHandled);
            await first.CompleteAsync(CancellationToken.None);
        }
        await using (var second = await batch.BeginAsync(copies[1], CancellationToken.None))
        {
            Assert.True(second.AlreadyHandled);
            await second.CompleteAsync(CancellationToken.None);
        }
        await batch.CommitAsync(CancellationToken.None);

        Assert.Equal(2, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal([2L], MarkedPositions());
    }

    [Fact]
    public async Task SkippedEnvelopes_MoveTheOffsetWithoutAMark()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 3);

        await using (var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None))
        {
            await CompleteAsync(batch, envelopes[0]);
            batch.Skip(envelopes[1]);
            batch.Skip(envelopes[2]);
            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(3, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal([1L], MarkedPositions());
    }

    [Fact]
    public async Task HandlerWritingThroughTheTransaction_CommitsWithItsMarkAndTheEarlierPendingMarks()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 3);

        await using (var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None))
        {
            await CompleteAsync(batch, envelopes[0]); // pending: no transaction of its own
            await using (var scope = await batch.BeginAsync(envelopes[1], CancellationToken.None))
            {
                WriteLedgerRow(scope, envelopes[1]);
                Assert.Equal(0, _database.Scalar("SELECT count(*) FROM ledger")); // not committed yet
                await scope.CompleteAsync(CancellationToken.None);
            }

            // Committed at once, before the batch commits: the row, both marks and the offset.
            Assert.Equal(1, _database.Scalar($"SELECT count(*) FROM ledger WHERE event_id = '{envelopes[1].Id}'"));
            Assert.Equal([envelopes[0].Position, envelopes[1].Position], MarkedPositions());
            Assert.Equal(envelopes[1].Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));

            await CompleteAsync(batch, envelopes[2]);
            // Disposed without committing: the third is delivered again.
        }

        Assert.Equal(envelopes[1].Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal([envelopes[0].Position, envelopes[1].Position], MarkedPositions());
    }

    [Fact]
    public async Task HandlerWritingThroughTheTransaction_FailsBeforeCompleting_ItsWritesRollBack_EarlierMarksStayPending()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 2);

        await using (var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None))
        {
            await CompleteAsync(batch, envelopes[0]);
            await using (var failing = await batch.BeginAsync(envelopes[1], CancellationToken.None))
                WriteLedgerRow(failing, envelopes[1]); // the handler throws after writing: the scope is disposed

            Assert.Equal(0, _database.Scalar("SELECT count(*) FROM ledger"));
            Assert.Equal(0, InboxCount());
            await batch.CommitAsync(CancellationToken.None); // what a consumer does before it retries

            Assert.Equal([envelopes[0].Position], MarkedPositions());
            Assert.Equal(envelopes[0].Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));

            // The retry writes again and completes.
            await using (var retry = await batch.BeginAsync(envelopes[1], CancellationToken.None))
            {
                Assert.False(retry.AlreadyHandled);
                WriteLedgerRow(retry, envelopes[1]);
                await retry.CompleteAsync(CancellationToken.None);
            }
        }

        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
        Assert.Equal(envelopes.Select(e => e.Position), MarkedPositions());
        Assert.Equal(envelopes[1].Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
    }

    [Fact]
    public async Task Replay_AfterTheTransactionPath_ReportsEveryEnvelopeHandled_SoNothingIsWrittenTwice()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 4);
        await using (var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None))
        {
            foreach (var envelope in envelopes)
            {
                await using var scope = await batch.BeginAsync(envelope, CancellationToken.None);
                if (envelope.Position % 2 == 0)
                    WriteLedgerRow(scope, envelope); // every other handler writes through the transaction
                await scope.CompleteAsync(CancellationToken.None);
            }
            await batch.CommitAsync(CancellationToken.None);
        }
        await log.SetOffsetAsync(Consumer, 0, CancellationToken.None);

        var replayed = await log.ReadAsync(0, 100, CancellationToken.None);
        await using (var batch = await log.BeginHandlingAsync(Consumer, replayed, CancellationToken.None))
        {
            foreach (var envelope in replayed)
            {
                await using var scope = await batch.BeginAsync(envelope, CancellationToken.None);
                Assert.True(scope.AlreadyHandled);
                await scope.CompleteAsync(CancellationToken.None);
            }
            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(2, _database.Scalar("SELECT count(*) FROM ledger"));
        Assert.Equal(4, await log.GetOffsetAsync(Consumer, CancellationToken.None));
    }

    [Fact]
    public async Task WriterAppends_WhileAHandlerHoldsTheTransaction_WaitsOnTheGate_AndBothComplete()
    {
        var log = _database.Open();
        var envelopes = await AppendAsync(log, 1);
        await using var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None);
        var scope = await batch.BeginAsync(envelopes[0], CancellationToken.None);
        WriteLedgerRow(scope, envelopes[0]);

        var append = Task.Run(() => log.AppendAsync(Envelopes.Batch(3), CancellationToken.None).AsTask());
        var offset = Task.Run(() => log.SetOffsetAsync("other", 1, CancellationToken.None).AsTask());
        await scope.CompleteAsync(CancellationToken.None);
        await scope.DisposeAsync();

        Assert.Equal([2L, 3L, 4L], await append.WaitAsync(TimeSpan.FromSeconds(30)));
        await offset.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
        Assert.Equal(1, await log.GetOffsetAsync(Consumer, CancellationToken.None));
    }

    [Fact]
    public async Task AHandlerThatNeverLetsGoOfTheTransaction_MakesTheWriterFailAsBusy_NotHang()
    {
        var log = _database.Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(200));
        var envelopes = await AppendAsync(log, 1);
        await using var batch = await log.BeginHandlingAsync(Consumer, envelopes, CancellationToken.None);
        await using (var scope = await batch.BeginAsync(envelopes[0], CancellationToken.None))
        {
            WriteLedgerRow(scope, envelopes[0]);

            // As a handler awaiting a Persisted publish while it holds the transaction would make the writer do.
            var busy = await Assert.ThrowsAsync<SqliteException>(() => Task.Run(() => log.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask()));
            Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY: the log writer retries it
        }

        Assert.Equal([2L], await log.AppendAsync(Envelopes.Batch(1), CancellationToken.None));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task ConsumersWritingThroughTheirTransactions_AndTheWriterAppendingAtOnce_AllComplete_EachRowOnce()
    {
        var log = _database.Open();
        const int appends = 40;
        const int perAppend = 25;
        string[] consumers = ["a", "b"];
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var writer = Task.Run(async () =>
        {
            for (var i = 0; i < appends; i++)
                await log.AppendAsync(Envelopes.Batch(perAppend), timeout.Token);
        });
        var readers = consumers.Select(consumer => Task.Run(async () =>
        {
            var offset = 0L;
            while (offset < appends * perAppend)
            {
                var read = await log.ReadAsync(offset, 16, timeout.Token);
                if (read.Count == 0)
                {
                    await Task.Yield();
                    continue;
                }
                await using var batch = await log.BeginHandlingAsync(consumer, read, timeout.Token);
                foreach (var envelope in read)
                {
                    await using var scope = await batch.BeginAsync(envelope, timeout.Token);
                    if (envelope.Position % 3 == 0)
                        WriteLedgerRow(scope, envelope, consumer);
                    await scope.CompleteAsync(timeout.Token);
                }
                await batch.CommitAsync(timeout.Token);
                offset = read[^1].Position;
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]);

        foreach (var consumer in consumers)
            Assert.Equal(appends * perAppend, await log.GetOffsetAsync(consumer, CancellationToken.None));
        Assert.Equal(2 * appends * perAppend, _database.Scalar("SELECT count(*) FROM herald_inbox"));
        Assert.Equal(2 * (appends * perAppend / 3), _database.Scalar("SELECT count(*) FROM ledger"));
    }

    private static async Task<IReadOnlyList<EventEnvelope>> AppendAsync(IEventLog log, int count)
    {
        await log.AppendAsync(Envelopes.Batch(count), CancellationToken.None);
        return await Envelopes.ReadAllAsync(log);
    }

    private static async Task CompleteAsync(IHandlingBatch batch, EventEnvelope envelope)
    {
        await using var scope = await batch.BeginAsync(envelope, CancellationToken.None);
        await scope.CompleteAsync(CancellationToken.None);
    }

    private long InboxCount() => _database.Scalar($"SELECT count(*) FROM herald_inbox WHERE consumer = '{Consumer}'");

    private long[] MarkedPositions()
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT position FROM herald_inbox WHERE consumer = '{Consumer}' ORDER BY position";
        using var reader = command.ExecuteReader();
        var positions = new List<long>();
        while (reader.Read())
            positions.Add(reader.GetInt64(0));
        return [.. positions];
    }

    private static void WriteLedgerRow(IHandlingScope scope, EventEnvelope envelope, string prefix = "")
    {
        var transaction = (SqliteTransaction)scope.Transaction!;
        using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO ledger (event_id) VALUES ($id);";
        insert.Parameters.AddWithValue("$id", prefix + envelope.Id);
        insert.ExecuteNonQuery();
    }
}
