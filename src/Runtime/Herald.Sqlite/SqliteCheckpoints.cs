using System.Data.Common;
using System.Text;
using Herald.Durable;
using Herald.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite;

/// <summary>
/// Offsets, the inbox and fenced commits of a <see cref="SqliteEventLog"/>. A commit is one <c>BEGIN IMMEDIATE</c>
/// transaction (the handler's own, when it opened one) that first checks the lease row still names the committer and
/// its epoch, then writes the inbox marks (multi-row statements), the dead letter and the offset.
/// </summary>
internal sealed class SqliteCheckpoints(LogFile file) : ICheckpointStore
{
    /// <summary>How many ids one inbox lookup statement takes (a short chunk is padded by repeating an id).</summary>
    internal const int InboxChunk = 64;

    /// <summary>How many marks one INSERT statement writes (then one per statement for the rest).</summary>
    private const int MarksPerStatement = 32;

    private static readonly string s_inboxLookup =
        "SELECT event_id FROM herald_inbox WHERE consumer = $consumer AND event_id IN ("
        + string.Join(", ", Enumerable.Range(0, InboxChunk).Select(i => $"$id{i}")) + ");";

    private static readonly string[] s_idParameters = [.. Enumerable.Range(0, InboxChunk).Select(i => $"$id{i}")];

    private static readonly string[] s_markIds = [.. Enumerable.Range(0, MarksPerStatement).Select(i => $"$id{i}")];

    private static readonly string[] s_markPositions = [.. Enumerable.Range(0, MarksPerStatement).Select(i => $"$position{i}")];

    private static readonly string s_markMany = MarkStatement(MarksPerStatement);

    private static readonly string s_markOne = MarkStatement(1);

    public ValueTask<IReadOnlyList<ConsumerOffset>> GetOffsetsAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read<IReadOnlyList<ConsumerOffset>>((connection, transaction) =>
        {
            var command = connection.Command(Sql.GetOffsets, transaction);
            command.Parameters.AddWithValue("$consumer", consumer);
            var offsets = new List<ConsumerOffset>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                offsets.Add(new ConsumerOffset(consumer, reader.GetInt32(0), reader.GetInt64(1),
                    StoredTime.TryRead(reader.GetInt64(2), out var at) ? at : DateTimeOffset.UnixEpoch));
            }
            return offsets;
        }));
    }

    public async ValueTask SetOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        file.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        cancellationToken.ThrowIfCancellationRequested();
        await file.WriteAsync((connection, transaction) =>
        {
            WriteOffset(connection, transaction, consumer, partition, position);
            var fence = connection.Command(Sql.FenceLease, transaction);
            fence.Parameters.AddWithValue("$consumer", consumer);
            fence.Parameters.AddWithValue("$partition", partition);
            return fence.ExecuteNonQuery();
        }, cancellationToken).ConfigureAwait(false);
    }

    public ValueTask<IReadOnlyList<string>> ListConsumersAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read<IReadOnlyList<string>>((connection, transaction) =>
        {
            var consumers = new List<string>();
            using var reader = connection.Command(Sql.ListConsumers, transaction).ExecuteReader();
            while (reader.Read())
                consumers.Add(reader.GetString(0));
            return consumers;
        }));
    }

    public ValueTask<IReadOnlySet<Guid>> FindHandledAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(envelopes);
        cancellationToken.ThrowIfCancellationRequested();
        if (envelopes.Count == 0)
            return ValueTask.FromResult<IReadOnlySet<Guid>>(new HashSet<Guid>());
        return ValueTask.FromResult(file.Read<IReadOnlySet<Guid>>((connection, transaction) =>
        {
            var handled = new HashSet<Guid>();
            for (var start = 0; start < envelopes.Count; start += InboxChunk)
            {
                var lookup = connection.Command(s_inboxLookup, transaction);
                lookup.Parameters.AddWithValue("$consumer", consumer);
                for (var i = 0; i < InboxChunk; i++)
                {
                    // Pad a short chunk with its first id: one statement shape, prepared once per connection.
                    var envelope = envelopes[start + i < envelopes.Count ? start + i : start];
                    lookup.Parameters.AddWithValue(s_idParameters[i], EventIds.ToBytes(envelope.Id));
                }
                using var reader = lookup.ExecuteReader();
                while (reader.Read())
                {
                    if (!reader.IsDBNull(0) && reader.GetFieldValue<byte[]>(0) is { Length: EventIds.Size } id)
                        handled.Add(EventIds.Read(id));
                }
            }
            return handled;
        }));
    }

    /// <inheritdoc />
    /// <remarks>
    /// A <c>BEGIN IMMEDIATE</c> <see cref="SqliteTransaction"/> on a connection of its own, begun after waiting for the
    /// log's write gate: from then until the commit, the log writer and every other writer of the log wait for it (up
    /// to the busy timeout).
    /// </remarks>
    public async ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken)
    {
        var connection = file.Rent();
        WriteGate.Held? held = null;
        try
        {
            held = await file.Gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            var transaction = connection.Connection.BeginTransaction(deferred: false);
            return new SqliteStoreTransaction(file, connection, transaction, held);
        }
        catch
        {
            held?.Dispose();
            file.Return(connection);
            throw;
        }
    }

    public async ValueTask CommitAsync(ProgressCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(commit.Lease, nameof(commit));
        ArgumentOutOfRangeException.ThrowIfNegative(commit.Offset, nameof(commit));
        file.CheckPartition(commit.Lease.Partition);
        cancellationToken.ThrowIfCancellationRequested();
        if (commit.Transaction is { } handlerTransaction)
        {
            if (handlerTransaction is not SqliteStoreTransaction own || !own.BelongsTo(file))
                throw new ArgumentException("The commit's transaction was not opened by this log's BeginTransactionAsync.", nameof(commit));
            own.Commit(transaction => Write(own.Connection, transaction, commit));
            return;
        }
        await file.WriteAsync((connection, transaction) =>
        {
            Write(connection, transaction, commit);
            return 0;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a commit into <paramref name="transaction"/>, or throws <see cref="LeaseLostException"/> having written nothing.</summary>
    private static void Write(LogConnection connection, SqliteTransaction transaction, ProgressCommit commit)
    {
        var lease = commit.Lease;
        var fence = connection.Command(Sql.LeaseIsCurrent, transaction);
        fence.Parameters.AddWithValue("$consumer", lease.Consumer);
        fence.Parameters.AddWithValue("$partition", lease.Partition);
        fence.Parameters.AddWithValue("$owner", lease.Owner);
        fence.Parameters.AddWithValue("$epoch", lease.Epoch);
        if (fence.ExecuteScalar() is not 1L)
            throw new LeaseLostException(lease);

        WriteMarks(connection, transaction, lease, commit.Marks);
        if (commit.DeadLetter is { } letter)
            SqliteDeadLetters.Add(connection, transaction, letter);
        WriteOffset(connection, transaction, lease.Consumer, lease.Partition, commit.Offset);
    }

    private static void WriteMarks(LogConnection connection, SqliteTransaction transaction, LeaseToken lease, IReadOnlyList<InboxMark> marks)
    {
        var next = 0;
        while (next < marks.Count)
        {
            var rows = marks.Count - next >= MarksPerStatement ? MarksPerStatement : 1;
            var insert = connection.Command(rows == MarksPerStatement ? s_markMany : s_markOne, transaction);
            insert.Parameters.AddWithValue("$consumer", lease.Consumer);
            insert.Parameters.AddWithValue("$partition", lease.Partition);
            for (var row = 0; row < rows; row++)
            {
                var mark = marks[next + row];
                insert.Parameters.AddWithValue(s_markIds[row], EventIds.ToBytes(mark.EventId));
                insert.Parameters.AddWithValue(s_markPositions[row], mark.Position);
            }
            insert.ExecuteNonQuery();
            next += rows;
        }
    }

    private static void WriteOffset(LogConnection connection, SqliteTransaction transaction, string consumer, int partition, long position)
    {
        var command = connection.Command(Sql.SetOffset, transaction);
        command.Parameters.AddWithValue("$consumer", consumer);
        command.Parameters.AddWithValue("$partition", partition);
        command.Parameters.AddWithValue("$position", position);
        command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        command.ExecuteNonQuery();
    }

    private static string MarkStatement(int rows)
    {
        var sql = new StringBuilder(Sql.MarkInboxPrefix);
        for (var i = 0; i < rows; i++)
            sql.Append(i == 0 ? " " : ", ").Append("($consumer, ").Append(s_markIds[i]).Append(", $partition, ").Append(s_markPositions[i]).Append(')');
        return sql.Append(Sql.MarkInboxSuffix).ToString();
    }

    /// <summary>A handler's transaction: its connection, its <c>BEGIN IMMEDIATE</c> transaction and the write gate it holds.</summary>
    private sealed class SqliteStoreTransaction(LogFile file, LogConnection connection, SqliteTransaction transaction, WriteGate.Held held) : IStoreTransaction
    {
        private SqliteTransaction? _transaction = transaction;
        private bool _ended;

        public LogConnection Connection => connection;

        public DbTransaction Transaction => _transaction ?? throw new ObjectDisposedException(nameof(SqliteStoreTransaction));

        public bool BelongsTo(LogFile log) => ReferenceEquals(log, file);

        /// <summary>Writes the commit with <paramref name="write"/> and commits, or rolls back (also the handler's writes).</summary>
        public void Commit(Action<SqliteTransaction> write)
        {
            ObjectDisposedException.ThrowIf(_ended, this);
            var current = _transaction!;
            if (current.Connection is null || !connection.InTransaction)
            {
                // The handler ended the transaction itself: its writes are already decided; the commit still goes in a
                // transaction of its own (the gate is still held).
                current.Dispose();
                current = _transaction = connection.Connection.BeginTransaction(deferred: false);
            }
            write(current);
            file.EnsureFileExists();
            current.Commit();
        }

        public ValueTask DisposeAsync()
        {
            if (_ended)
                return ValueTask.CompletedTask;
            _ended = true;
            try
            {
                _transaction?.Dispose(); // rolls back unless committed
            }
            catch (Exception exception) when (exception is SqliteException or InvalidOperationException)
            {
                connection.Broken = true;
            }
            finally
            {
                _transaction = null;
                held.Dispose();
                file.Return(connection);
            }
            return ValueTask.CompletedTask;
        }
    }
}
