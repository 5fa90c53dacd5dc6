using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

public sealed class HandlingScopeTests : IAsyncLifetime
{
    private const string Consumer = "ledger";
    private readonly TempDatabase _database = new();

    public Task InitializeAsync()
    {
        _database.Execute("CREATE TABLE ledger (event_id TEXT NOT NULL);");
        return Task.CompletedTask;
    }

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task CompleteAsync_CommitsTheInboxMarkAndTheOffset()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);

        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
        {
            Assert.False(scope.AlreadyHandled);
            await scope.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(envelope.Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(1, _database.Scalar($"SELECT count(*) FROM herald_inbox WHERE consumer = '{Consumer}' AND position = {envelope.Position}"));
    }

    [Fact]
    public async Task DisposeAsync_WithoutComplete_RollsBack_OffsetUnchangedAndInboxEmpty()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);
        await log.SetOffsetAsync(Consumer, 0, CancellationToken.None);

        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
            Assert.False(scope.AlreadyHandled);

        Assert.Equal(0, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM herald_inbox"));
        await using var again = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None);
        Assert.False(again.AlreadyHandled);
    }

    [Fact]
    public async Task BeginHandlingAsync_AfterComplete_ReportsAlreadyHandled_ForThatConsumerOnly()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);
        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
            await scope.CompleteAsync(CancellationToken.None);

        await using var same = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None);
        await using var other = await log.BeginHandlingAsync("search-index", envelope, CancellationToken.None);

        Assert.True(same.AlreadyHandled);
        Assert.False(other.AlreadyHandled);
    }

    [Fact]
    public async Task Transaction_IsTheScopesOpenSqliteTransaction()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);

        await using var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None);

        var transaction = Assert.IsType<SqliteTransaction>(scope.Transaction);
        Assert.NotNull(transaction.Connection);
    }

    [Fact]
    public async Task HandlerWriteThroughTheTransaction_IsCommittedWithComplete()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);

        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
        {
            WriteLedgerRow(scope, envelope);
            // Not visible to others before the commit.
            Assert.Equal(0, _database.Scalar("SELECT count(*) FROM ledger"));
            await scope.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(1, _database.Scalar($"SELECT count(*) FROM ledger WHERE event_id = '{envelope.Id}'"));
        Assert.Equal(envelope.Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM herald_inbox"));
    }

    [Fact]
    public async Task HandlerWriteThroughTheTransaction_WithoutComplete_IsRolledBack()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);

        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
            WriteLedgerRow(scope, envelope);

        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM ledger"));
        Assert.Null(await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM herald_inbox"));
    }

    [Fact]
    public async Task HandlerThatReadsThenWrites_WhileTheWriterAppends_CommitsBoth()
    {
        // The handler's transaction is immediate: a read first cannot leave it on a snapshot too old to write from
        // (SQLITE_BUSY_SNAPSHOT), and the append waits for the handler's commit on the log's write gate.
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);
        Task<IReadOnlyList<long>> append;

        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
        {
            var transaction = (SqliteTransaction)scope.Transaction!;
            using (var read = transaction.Connection!.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT count(*) FROM herald_events;";
                Assert.Equal(1L, read.ExecuteScalar());
            }
            append = Task.Run(() => log.AppendAsync(Envelopes.Batch(2), CancellationToken.None).AsTask());
            WriteLedgerRow(scope, envelope);

            await scope.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal([2L, 3L], await append.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(envelope.Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task AppendAsync_WhileAHandlerHoldsTheWriteLock_CommitsAfterComplete()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);
        await using var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None);
        WriteLedgerRow(scope, envelope); // the scope now holds SQLite's write lock

        var append = Task.Run(() => log.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask());
        await scope.CompleteAsync(CancellationToken.None);

        Assert.Equal([2L], await append.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task CompleteAsync_AlreadyHandledEnvelope_MovesTheOffset()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);
        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
            await scope.CompleteAsync(CancellationToken.None);
        await log.SetOffsetAsync(Consumer, 0, CancellationToken.None); // replay

        await using (var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None))
        {
            Assert.True(scope.AlreadyHandled);
            await scope.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(envelope.Position, await log.GetOffsetAsync(Consumer, CancellationToken.None));
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM herald_inbox"));
    }

    [Fact]
    public async Task CompleteAsync_Twice_Throws()
    {
        var log = _database.Open();
        var envelope = await AppendOneAsync(log);
        await using var scope = await log.BeginHandlingAsync(Consumer, envelope, CancellationToken.None);
        await scope.CompleteAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => scope.CompleteAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task BeginHandlingAsync_EnvelopeThatWasNeverAppended_Throws()
    {
        var log = _database.Open();

        await Assert.ThrowsAsync<ArgumentException>(() => log.BeginHandlingAsync(Consumer, Envelopes.Create(), CancellationToken.None).AsTask());
    }

    [Fact]
    public async Task Scopes_OfSeveralConsumersAtOnce_EachCommitTheirOwnOffset()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(50), CancellationToken.None);
        var envelopes = await Envelopes.ReadAllAsync(log);
        string[] consumers = ["a", "b", "c", "d"];

        await Task.WhenAll(consumers.Select(consumer => Task.Run(async () =>
        {
            foreach (var envelope in envelopes)
            {
                await using var scope = await log.BeginHandlingAsync(consumer, envelope, CancellationToken.None);
                WriteLedgerRow(scope, envelope);
                await scope.CompleteAsync(CancellationToken.None);
            }
        })));

        foreach (var consumer in consumers)
            Assert.Equal(50, await log.GetOffsetAsync(consumer, CancellationToken.None));
        Assert.Equal(200, _database.Scalar("SELECT count(*) FROM herald_inbox"));
        Assert.Equal(200, _database.Scalar("SELECT count(*) FROM ledger"));
    }

    private static async Task<EventEnvelope> AppendOneAsync(IEventLog log)
    {
        var envelope = Envelopes.Create();
        var positions = await log.AppendAsync([envelope], CancellationToken.None);
        return envelope.WithPosition(positions[0]);
    }

    private static void WriteLedgerRow(IHandlingScope scope, EventEnvelope envelope)
    {
        var transaction = (SqliteTransaction)scope.Transaction!;
        using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO ledger (event_id) VALUES ($id);";
        insert.Parameters.AddWithValue("$id", envelope.Id.ToString());
        insert.ExecuteNonQuery();
    }
}
