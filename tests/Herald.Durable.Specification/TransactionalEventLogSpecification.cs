using System.Data.Common;

namespace Herald.Durable.Specification;

/// <summary>
/// The contract of a log whose store has transactions (SQLite, PostgreSQL): a handler's own writes through
/// <see cref="HandlingScope.GetTransactionAsync"/> commit with its inbox mark and the offset, or not at all, and never
/// after the lease was lost. A transport's test project derives from this instead of
/// <see cref="EventLogSpecification"/> and also supplies a plain connection to the log's database for assertions.
/// </summary>
public abstract class TransactionalEventLogSpecification : EventLogSpecification
{
    /// <summary>Opens a connection to the database of <paramref name="log"/>, outside the log, as the app's own code would.</summary>
    protected abstract Task<DbConnection> ConnectAsync(IEventLog log);

    [Fact]
    public async Task HandlerTransaction_IsTheStoresOwn_AndItsWritesCommitWithTheMarkAndTheOffset()
    {
        var (log, lease, page) = await PrepareAsync(3);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            await using (var scope = batch.Begin(page.Envelopes[0]))
                await scope.CompleteAsync(CancellationToken.None); // pending, no transaction of its own
            await using (var scope = batch.Begin(page.Envelopes[1]))
            {
                var transaction = await scope.GetTransactionAsync(CancellationToken.None);
                Assert.NotNull(transaction);
                Assert.Same(transaction, await scope.GetTransactionAsync(CancellationToken.None));
                await InsertAsync(transaction, page.Envelopes[1].Id);
                Assert.Equal(0, await RowsAsync(log)); // not visible before the commit
                await scope.CompleteAsync(CancellationToken.None);
            }

            // The handler's row, its mark, the earlier pending mark and the offset, together.
            Assert.Equal(1, await RowsAsync(log));
            Assert.Equal(2, await OffsetAsync(log, "ledger", 0));
            Assert.Equal(2, (await log.Checkpoints.FindHandledAsync("ledger", page.Envelopes, CancellationToken.None)).Count);
        }
    }

    [Fact]
    public async Task HandlerTransaction_ThatIsNotCompleted_RollsBackItsWrites_AndTheEarlierMarksStayPending()
    {
        var (log, lease, page) = await PrepareAsync(2);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            await using (var scope = batch.Begin(page.Envelopes[0]))
                await scope.CompleteAsync(CancellationToken.None);
            await using (var scope = batch.Begin(page.Envelopes[1]))
            {
                var transaction = await scope.GetTransactionAsync(CancellationToken.None);
                await InsertAsync(transaction!, page.Envelopes[1].Id);
                // the handler throws here: the scope is disposed without completing
            }
            Assert.Equal(0, await RowsAsync(log));
            Assert.Null(await OffsetAsync(log, "ledger", 0));

            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(1, await OffsetAsync(log, "ledger", 0));
        Assert.Equal([page.Envelopes[0].Id], await log.Checkpoints.FindHandledAsync("ledger", page.Envelopes, CancellationToken.None));
    }

    [Fact]
    public async Task HandlerTransaction_UnderALeaseAnotherMemberTook_IsRolledBack_WithTheHandlersWrites()
    {
        var (log, lease, page) = await PrepareAsync(1, TimeSpan.FromSeconds(5));

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            // This member was paused past its lease and another took the partition; it resumes inside the handler.
            Time.Advance(TimeSpan.FromSeconds(6));
            await AcquireAsync(log, "ledger", 0, "member-b");
            await using var scope = batch.Begin(page.Envelopes[0]);
            await InsertAsync((await scope.GetTransactionAsync(CancellationToken.None))!, page.Envelopes[0].Id);

            await Assert.ThrowsAsync<LeaseLostException>(async () => await scope.CompleteAsync(CancellationToken.None));
        }

        Assert.Equal(0, await RowsAsync(log));
        Assert.Null(await OffsetAsync(log, "ledger", 0));
        Assert.Empty(await log.Checkpoints.FindHandledAsync("ledger", page.Envelopes, CancellationToken.None));
    }

    [Fact]
    public async Task Replay_AfterTheTransactionPath_ReportsEveryEnvelopeHandled_SoNothingIsWrittenTwice()
    {
        var (log, lease, page) = await PrepareAsync(4);
        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            foreach (var envelope in page.Envelopes)
            {
                await using var scope = batch.Begin(envelope);
                await InsertAsync((await scope.GetTransactionAsync(CancellationToken.None))!, envelope.Id);
                await scope.CompleteAsync(CancellationToken.None);
            }
        }

        await log.Checkpoints.SetOffsetAsync("ledger", 0, 0, CancellationToken.None);
        var replayLease = Assert.Single(await log.Leases.RenewAsync("ledger", lease.Owner, Time.GetUtcNow(), TimeSpan.FromSeconds(15), CancellationToken.None));
        await using (var replay = await HandlingBatch.BeginAsync(log.Checkpoints, replayLease, 0, page.Envelopes, CancellationToken.None))
        {
            foreach (var envelope in page.Envelopes)
            {
                await using var scope = replay.Begin(envelope);
                Assert.True(scope.AlreadyHandled);
                await scope.CompleteAsync(CancellationToken.None);
            }
            await replay.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(4, await RowsAsync(log));
        Assert.Equal(4, await OffsetAsync(log, "ledger", 0));
    }

    private async Task<(IEventLog Log, LeaseToken Lease, EventPage Page)> PrepareAsync(int events, TimeSpan? leaseDuration = null)
    {
        var log = await NewLogAsync(partitions: 1);
        await using (var connection = await ConnectAsync(log))
        {
            await using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE IF NOT EXISTS spec_ledger (event_id VARCHAR(36) NOT NULL PRIMARY KEY)";
            await create.ExecuteNonQueryAsync();
        }
        await log.Stream.AppendAsync([.. Enumerable.Range(0, events).Select(_ => Envelope())], CancellationToken.None);
        var lease = await AcquireAsync(log, "ledger", 0, duration: leaseDuration);
        return (log, lease, await log.Stream.ReadAsync(0, 0, 100, null, CancellationToken.None));
    }

    private static async Task InsertAsync(DbTransaction transaction, Guid id)
    {
        await using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO spec_ledger (event_id) VALUES (@id)";
        var parameter = insert.CreateParameter();
        parameter.ParameterName = "@id";
        parameter.Value = id.ToString();
        insert.Parameters.Add(parameter);
        await insert.ExecuteNonQueryAsync();
    }

    private async Task<long> RowsAsync(IEventLog log)
    {
        await using var connection = await ConnectAsync(log);
        await using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM spec_ledger";
        return Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
