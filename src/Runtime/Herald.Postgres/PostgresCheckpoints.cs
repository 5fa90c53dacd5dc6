using System.Data.Common;
using Herald.Durable;
using Herald.Postgres.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Postgres;

/// <summary>
/// Offsets, the inbox and fenced commits of a <see cref="PostgresEventLog"/>. A commit is one transaction (the
/// handler's own, when it opened one) that first takes the lease row <c>FOR SHARE</c> where it still names the
/// committer and its epoch (a member taking the partition then waits for the commit, and a commit after the take finds
/// no such row and is refused), then writes the inbox marks (one statement for all of them), the dead letter and the
/// offset. Once it holds the row, the transaction may sit idle at most <see cref="CommitIdleTimeout"/>.
/// </summary>
/// <remarks>
/// <para><b>Synchronous commit.</b> A commit of Herald's own transaction, one with no handler's writes in it and no
/// dead letter (inbox marks and an offset only, the steady state of a consumer), commits with
/// <c>synchronous_commit = off</c> for that transaction only: PostgreSQL acknowledges it before its WAL is flushed, so
/// it costs no fsync of its own and no wait behind the log writer's. What a server crash can then lose is the last
/// fraction of a second of such commits (at most three times <c>wal_writer_delay</c>, 600 ms by default), and losing
/// one only moves the offset back to where the previous durable commit left it: those events are delivered again (at
/// least once holds), their marks go with the offset they were committed with (one transaction, so both or neither),
/// and nothing a handler wrote is involved. The WAL is replayed in order, so a lost commit is never followed by a kept
/// one. A commit in the handler's transaction keeps the session's setting (synchronous by default): the handler's rows,
/// its mark and the offset are durable when the handler's envelope completes, and the inbox keeps it from being
/// applied twice. A commit with a dead letter stays synchronous too, so an operator never sees a dead letter that a
/// crash takes back. (Measured with the latency run: benchmarks/README.md, "Consumer round trips and commits".)</para>
/// </remarks>
internal sealed class PostgresCheckpoints(PostgresDatabase database) : ICheckpointStore
{
    /// <summary>
    /// How long a commit's transaction may sit idle once it holds the lease row (PostgreSQL's
    /// <c>idle_in_transaction_session_timeout</c>, set for that transaction only). Between that statement and the COMMIT
    /// a healthy committer is idle for microseconds; one frozen there (SIGSTOP, a paused VM) held the row, and with it
    /// the partition, for as long as it stayed frozen (found by the SIGSTOP group scenario: the other member never got
    /// the 8 partitions). After this the server ends the session, the commit fails, and the partition can be taken.
    /// </summary>
    internal static readonly TimeSpan CommitIdleTimeout = TimeSpan.FromSeconds(5);

    private static readonly string CommitIdleTimeoutText = ((long)CommitIdleTimeout.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// For tests: called after each commit with the <c>synchronous_commit</c> its transaction committed with, as the
    /// server reported it inside that transaction.
    /// </summary>
    internal Action<ProgressCommit, string>? Committed { get; set; }

    public async ValueTask<IReadOnlyList<ConsumerOffset>> GetOffsetsAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.GetOffsets, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        var offsets = new List<ConsumerOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            offsets.Add(new ConsumerOffset(consumer, reader.GetInt32(0), reader.GetInt64(1), StoredTime.Read(reader.GetDateTime(2))));
        return offsets;
    }

    public async ValueTask SetOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        database.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await database.InTransactionAsync(async (connection, transaction, ct) =>
        {
            await WriteOffsetAsync(connection, transaction, consumer, partition, position, ct).ConfigureAwait(false);
            await using var fence = new NpgsqlCommand(database.Sql.FenceLease, connection, transaction);
            fence.Parameters.Add(new NpgsqlParameter { Value = consumer });
            fence.Parameters.Add(new NpgsqlParameter { Value = partition });
            return await fence.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<string>> ListConsumersAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(database.Sql.ListConsumers, connection);
        var consumers = new List<string>();
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                consumers.Add(reader.GetString(0));
        }
        // The database's collation may not be ordinal; the contract's order is.
        consumers.Sort(StringComparer.Ordinal);
        return consumers;
    }

    public async ValueTask<IReadOnlySet<Guid>> FindHandledAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(envelopes);
        var handled = new HashSet<Guid>();
        if (envelopes.Count == 0)
            return handled;
        var ids = new Guid[envelopes.Count];
        for (var i = 0; i < ids.Length; i++)
            ids[i] = envelopes[i].Id;
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var lookup = new NpgsqlCommand(database.Sql.FindHandled, connection);
        lookup.Parameters.Add(new NpgsqlParameter { Value = consumer });
        lookup.Parameters.Add(new NpgsqlParameter { Value = ids });
        await using var reader = await lookup.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            handled.Add(reader.GetGuid(0));
        return handled;
    }

    /// <inheritdoc />
    /// <remarks>An <see cref="NpgsqlTransaction"/> (read committed) on a pooled connection of the log's own.</remarks>
    public async ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            return new PostgresStoreTransaction(database, connection, transaction);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask CommitAsync(ProgressCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(commit.Lease, nameof(commit));
        ArgumentOutOfRangeException.ThrowIfNegative(commit.Offset, nameof(commit));
        database.CheckPartition(commit.Lease.Partition);
        cancellationToken.ThrowIfCancellationRequested();
        if (commit.Transaction is { } handlerTransaction)
        {
            if (handlerTransaction is not PostgresStoreTransaction own || !own.BelongsTo(database))
                throw new ArgumentException("The commit's transaction was not opened by this log's BeginTransactionAsync.", nameof(commit));
            string? handlerSetting = null;
            await own.CommitAsync(async (connection, transaction, ct) => handlerSetting = await WriteAsync(connection, transaction, commit, synchronous: true, ct).ConfigureAwait(false),
                cancellationToken).ConfigureAwait(false);
            Committed?.Invoke(commit, handlerSetting!);
            return;
        }
        var setting = await database.InTransactionAsync(
            (connection, transaction, ct) => WriteAsync(connection, transaction, commit, synchronous: commit.DeadLetter is not null, ct),
            cancellationToken).ConfigureAwait(false);
        Committed?.Invoke(commit, setting);
    }

    /// <summary>
    /// Writes a commit into <paramref name="transaction"/>, or throws <see cref="LeaseLostException"/> having written
    /// nothing. Unless <paramref name="synchronous"/>, the transaction commits with <c>synchronous_commit = off</c> (see
    /// the remarks). Returns the transaction's <c>synchronous_commit</c>.
    /// </summary>
    private async ValueTask<string> WriteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, ProgressCommit commit, bool synchronous, CancellationToken cancellationToken)
    {
        var lease = commit.Lease;
        string setting;
        await using (var fence = new NpgsqlCommand(synchronous ? database.Sql.LeaseIsCurrent : database.Sql.LeaseIsCurrentCommitAsync, connection, transaction))
        {
            fence.Parameters.Add(new NpgsqlParameter { Value = lease.Consumer });
            fence.Parameters.Add(new NpgsqlParameter { Value = lease.Partition });
            fence.Parameters.Add(new NpgsqlParameter { Value = lease.Owner });
            fence.Parameters.Add(new NpgsqlParameter { Value = lease.Epoch });
            fence.Parameters.Add(new NpgsqlParameter { Value = CommitIdleTimeoutText });
            await using var row = await fence.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            if (!await row.ReadAsync(cancellationToken).ConfigureAwait(false))
                throw new LeaseLostException(lease);
            setting = row.GetString(2);
        }

        await using var batch = new NpgsqlBatch(connection, transaction);
        if (commit.Marks.Count > 0)
        {
            var ids = new Guid[commit.Marks.Count];
            var positions = new long[commit.Marks.Count];
            for (var i = 0; i < ids.Length; i++)
                (ids[i], positions[i]) = (commit.Marks[i].EventId, commit.Marks[i].Position);
            var marks = new NpgsqlBatchCommand(database.Sql.MarkInbox);
            marks.Parameters.Add(new NpgsqlParameter { Value = lease.Consumer });
            marks.Parameters.Add(new NpgsqlParameter { Value = lease.Partition });
            marks.Parameters.Add(new NpgsqlParameter { Value = ids });
            marks.Parameters.Add(new NpgsqlParameter { Value = positions });
            batch.BatchCommands.Add(marks);
        }
        if (commit.DeadLetter is { } letter)
            batch.BatchCommands.Add(PostgresDeadLetters.AddCommand(database.Sql, letter));
        var offset = new NpgsqlBatchCommand(database.Sql.SetOffset);
        offset.Parameters.Add(new NpgsqlParameter { Value = lease.Consumer });
        offset.Parameters.Add(new NpgsqlParameter { Value = lease.Partition });
        offset.Parameters.Add(new NpgsqlParameter { Value = commit.Offset });
        batch.BatchCommands.Add(offset);
        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return setting;
    }

    private async ValueTask WriteOffsetAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string consumer, int partition, long position, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(database.Sql.SetOffset, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = consumer });
        command.Parameters.Add(new NpgsqlParameter { Value = partition });
        command.Parameters.Add(new NpgsqlParameter { Value = position });
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A handler's transaction: a pooled connection of the log and its open <see cref="NpgsqlTransaction"/>.</summary>
    private sealed class PostgresStoreTransaction(PostgresDatabase owner, NpgsqlConnection connection, NpgsqlTransaction transaction) : IStoreTransaction
    {
        private NpgsqlTransaction? _transaction = transaction;
        private bool _ended;

        public DbTransaction Transaction => _transaction ?? throw new ObjectDisposedException(nameof(PostgresStoreTransaction));

        public bool BelongsTo(PostgresDatabase database) => ReferenceEquals(database, owner);

        /// <summary>Writes the commit with <paramref name="write"/> and commits, or rolls back (also the handler's writes).</summary>
        public async ValueTask CommitAsync(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, ValueTask> write, CancellationToken cancellationToken)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            var current = _transaction!;
            if (current.Connection is null)
            {
                // The handler ended the transaction itself: its writes are already decided; the commit still goes in a
                // transaction of its own.
                await current.DisposeAsync().ConfigureAwait(false);
                current = _transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }
            await write(connection, current, cancellationToken).ConfigureAwait(false);
            await current.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            if (_ended)
                return;
            _ended = true;
            try
            {
                if (_transaction is not null)
                    await _transaction.DisposeAsync().ConfigureAwait(false); // rolls back unless committed
            }
            catch (Exception exception) when (exception is NpgsqlException or InvalidOperationException)
            {
                // A broken connection: the server rolls the transaction back; the pool does not reuse the connection.
            }
            finally
            {
                _transaction = null;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }
}
