using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

/// <summary>
/// What is particular to the handler's transaction on SQLite: it is an immediate transaction on the log's file, it
/// holds the log's write gate (the writer and every other writer wait for it), and a holder that never lets go makes
/// the others fail as busy instead of hanging. The contract is the specification's.
/// </summary>
public sealed class SqliteTransactionTests : IAsyncLifetime
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
    public async Task Transaction_IsAnOpenSqliteTransaction_OnTheLogsFile()
    {
        var log = _database.Open();
        var (batch, envelopes) = await BeginAsync(log, 1);
        await using (batch)
        {
            await using var scope = batch.Begin(envelopes[0]);
            var transaction = Assert.IsType<SqliteTransaction>(await scope.GetTransactionAsync(CancellationToken.None));

            Assert.Equal(_database.FilePath, ((SqliteConnection)transaction.Connection!).DataSource);
            Assert.Equal(0, SQLitePCL.raw.sqlite3_get_autocommit(((SqliteConnection)transaction.Connection!).Handle)); // begun, not lazily
        }
    }

    [Fact]
    public async Task HandlerThatReadsThenWrites_WhileTheWriterAppends_CommitsBoth()
    {
        // The handler's transaction is immediate: a read first cannot leave it on a snapshot too old to write from
        // (SQLITE_BUSY_SNAPSHOT), and the append waits for the handler's commit on the log's write gate.
        var log = _database.Open();
        var (batch, envelopes) = await BeginAsync(log, 1);
        Task<IReadOnlyList<LogPosition>> append;
        await using (batch)
        {
            await using var scope = batch.Begin(envelopes[0]);
            var transaction = (await scope.GetTransactionAsync(CancellationToken.None))!;
            using (var read = transaction.Connection!.CreateCommand())
            {
                read.Transaction = transaction;
                read.CommandText = "SELECT count(*) FROM herald_events;";
                Assert.Equal(1L, read.ExecuteScalar());
            }
            append = Task.Run(() => log.Stream.AppendAsync(Envelopes.Batch(2), CancellationToken.None).AsTask());
            WriteLedgerRow(transaction, envelopes[0]);
            await scope.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(new long[] { 2, 3 }, Envelopes.Positions(await append.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(1, await Envelopes.OffsetAsync(log, Consumer));
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task WriterAndOffsetMoves_WhileAHandlerHoldsTheTransaction_WaitOnTheGate_AndAllComplete()
    {
        var log = _database.Open();
        var (batch, envelopes) = await BeginAsync(log, 1);
        await using (batch)
        {
            var scope = batch.Begin(envelopes[0]);
            WriteLedgerRow((await scope.GetTransactionAsync(CancellationToken.None))!, envelopes[0]);

            var append = Task.Run(() => log.Stream.AppendAsync(Envelopes.Batch(3), CancellationToken.None).AsTask());
            var offset = Task.Run(() => log.Checkpoints.SetOffsetAsync("other", 0, 1, CancellationToken.None).AsTask());
            await scope.CompleteAsync(CancellationToken.None);
            await scope.DisposeAsync();

            Assert.Equal(new long[] { 2, 3, 4 }, Envelopes.Positions(await append.WaitAsync(TimeSpan.FromSeconds(30))));
            await offset.WaitAsync(TimeSpan.FromSeconds(30));
        }
        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
        Assert.Equal(1, await Envelopes.OffsetAsync(log, Consumer));
    }

    [Fact]
    public async Task AHandlerThatNeverLetsGoOfTheTransaction_MakesTheWriterFailAsBusy_NotHang()
    {
        var log = _database.Open(o => o.BusyTimeout = TimeSpan.FromMilliseconds(200));
        var (batch, envelopes) = await BeginAsync(log, 1);
        await using (batch)
        {
            await using var scope = batch.Begin(envelopes[0]);
            WriteLedgerRow((await scope.GetTransactionAsync(CancellationToken.None))!, envelopes[0]);

            // As a handler awaiting a Persisted publish while it holds the transaction would make the writer do.
            var busy = await Assert.ThrowsAsync<SqliteException>(() => Task.Run(() => log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None).AsTask()));
            Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY: the log writer retries it
        }

        Assert.Equal(new long[] { 2 }, Envelopes.Positions(await log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None)));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM ledger"));
    }

    [Fact]
    public async Task AHandlerThatCommitsTheTransactionItself_StillGetsItsMarkAndTheOffsetCommitted()
    {
        var log = _database.Open();
        var (batch, envelopes) = await BeginAsync(log, 1);
        await using (batch)
        {
            await using var scope = batch.Begin(envelopes[0]);
            var transaction = (await scope.GetTransactionAsync(CancellationToken.None))!;
            WriteLedgerRow(transaction, envelopes[0]);
            await transaction.CommitAsync();
            await scope.CompleteAsync(CancellationToken.None);
        }

        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM ledger"));
        Assert.Equal(1, await Envelopes.OffsetAsync(log, Consumer));
        Assert.Equal([envelopes[0].Id], await log.Checkpoints.FindHandledAsync(Consumer, envelopes, CancellationToken.None));
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
                await log.Stream.AppendAsync(Envelopes.Batch(perAppend), timeout.Token);
        });
        var readers = consumers.Select(consumer => Task.Run(async () =>
        {
            var lease = await Envelopes.LeaseAsync(log, consumer);
            var offset = 0L;
            while (offset < appends * perAppend)
            {
                var page = await log.Stream.ReadAsync(0, offset, 16, null, timeout.Token);
                if (page.Envelopes.Count == 0)
                {
                    await Task.Yield();
                    continue;
                }
                await using var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, offset, page.Envelopes, timeout.Token);
                foreach (var envelope in page.Envelopes)
                {
                    await using var scope = batch.Begin(envelope);
                    if (envelope.Position % 3 == 0)
                        WriteLedgerRow((await scope.GetTransactionAsync(timeout.Token))!, envelope, consumer);
                    await scope.CompleteAsync(timeout.Token);
                }
                await batch.CommitAsync(timeout.Token);
                offset = page.Envelopes[^1].Position;
            }
        })).ToArray();

        await Task.WhenAll([writer, .. readers]);

        foreach (var consumer in consumers)
            Assert.Equal(appends * perAppend, await Envelopes.OffsetAsync(log, consumer));
        Assert.Equal(2 * appends * perAppend, _database.Scalar("SELECT count(*) FROM herald_inbox"));
        Assert.Equal(2 * (appends * perAppend / 3), _database.Scalar("SELECT count(*) FROM ledger"));
    }

    private static async Task<(HandlingBatch Batch, IReadOnlyList<EventEnvelope> Envelopes)> BeginAsync(IEventLog log, int count)
    {
        await log.Stream.AppendAsync(Envelopes.Batch(count), CancellationToken.None);
        var envelopes = await Envelopes.ReadAllAsync(log);
        var lease = await Envelopes.LeaseAsync(log, Consumer);
        return (await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, envelopes, CancellationToken.None), envelopes);
    }

    private static void WriteLedgerRow(DbTransaction transaction, EventEnvelope envelope, string prefix = "")
    {
        using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO ledger (event_id) VALUES ($id);";
        var id = insert.CreateParameter();
        id.ParameterName = "$id";
        id.Value = prefix + envelope.Id;
        insert.Parameters.Add(id);
        insert.ExecuteNonQuery();
    }
}
