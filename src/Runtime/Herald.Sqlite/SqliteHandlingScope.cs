using Herald.Durable;
using Herald.Sqlite.Storage;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite;

/// <summary>
/// One consumer handling one envelope on a connection of its own. The transaction handlers see is a deferred one
/// (<c>BEGIN</c>): it takes SQLite's single write lock only when the handler writes, so a handler that writes nothing
/// never blocks the log writer. <see cref="CompleteAsync"/> adds the inbox mark and the offset in that transaction and
/// commits; disposing without completing rolls everything back.
/// </summary>
/// <remarks>
/// A deferred transaction that has read and not written cannot start writing once another connection committed
/// (SQLite's <c>SQLITE_BUSY_SNAPSHOT</c>), and the log writer commits all the time. So when the handler changed no row,
/// <see cref="CompleteAsync"/> rolls the read-only transaction back and writes the inbox mark and offset in a fresh
/// <c>BEGIN IMMEDIATE</c> one; when the handler did write, it already holds the write lock and the marks join its
/// changes. A handler that reads and then writes through the transaction can still meet <c>SQLITE_BUSY_SNAPSHOT</c>
/// (its write fails, the attempt is retried in a new scope): handlers should write first, or only write. From its
/// first write until the scope completes, a handler holds SQLite's only write lock and the log writer waits for it (up
/// to the busy timeout), so work done after that first write should be short.
/// </remarks>
internal sealed class SqliteHandlingScope : IHandlingScope
{
    private readonly SqliteEventLog _log;
    private readonly ConnectionPool _pool;
    private readonly string _consumer;
    private readonly EventEnvelope _envelope;
    private readonly byte[] _id;
    private readonly long _changesAtBegin;
    private LogConnection? _connection;
    private SqliteTransaction? _transaction;
    private bool _completed;

    private SqliteHandlingScope(
        SqliteEventLog log, ConnectionPool pool, LogConnection connection, string consumer, EventEnvelope envelope, byte[] id, bool alreadyHandled)
    {
        _log = log;
        _pool = pool;
        _connection = connection;
        _consumer = consumer;
        _envelope = envelope;
        _id = id;
        AlreadyHandled = alreadyHandled;
        _transaction = connection.Connection.BeginTransaction(deferred: true);
        _changesAtBegin = raw.sqlite3_total_changes(connection.Connection.Handle);
    }

    public bool AlreadyHandled { get; }

    /// <summary>The <see cref="SqliteTransaction"/> a handler enlists its commands in.</summary>
    public object? Transaction => _transaction;

    public static SqliteHandlingScope Begin(SqliteEventLog log, ConnectionPool pool, string consumer, EventEnvelope envelope)
    {
        var id = EventIds.ToBytes(envelope.Id);
        var connection = pool.Rent();
        try
        {
            // Read before the transaction starts: a read inside it would pin a snapshot that the writer's next commit
            // makes too old to write from.
            var check = connection.Command(Sql.InInbox);
            check.Parameters.AddWithValue("$consumer", consumer);
            check.Parameters.AddWithValue("$id", id);
            var alreadyHandled = check.ExecuteScalar() is 1L;
            return new SqliteHandlingScope(log, pool, connection, consumer, envelope, id, alreadyHandled);
        }
        catch
        {
            connection.Broken = connection.InTransaction;
            pool.Return(connection);
            throw;
        }
    }

    public ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        var connection = _connection;
        ObjectDisposedException.ThrowIf(connection is null, this);
        if (_completed)
            throw new InvalidOperationException("This handling scope was already completed.");
        cancellationToken.ThrowIfCancellationRequested();

        var transaction = _transaction;
        if (transaction?.Connection is null || !connection.InTransaction
            || raw.sqlite3_total_changes(connection.Connection.Handle) == _changesAtBegin)
        {
            // Nothing written (or the handler ended the transaction itself): nothing to keep, so start over with the
            // write lock taken up front.
            _transaction = null;
            transaction?.Dispose();
            transaction = _transaction = connection.Connection.BeginTransaction(deferred: false);
        }

        var mark = connection.Command(Sql.MarkInbox, transaction);
        mark.Parameters.AddWithValue("$consumer", _consumer);
        mark.Parameters.AddWithValue("$id", _id);
        mark.Parameters.AddWithValue("$position", _envelope.Position);
        mark.ExecuteNonQuery();

        var offset = connection.Command(Sql.SetOffset, transaction);
        offset.Parameters.AddWithValue("$consumer", _consumer);
        offset.Parameters.AddWithValue("$position", _envelope.Position);
        offset.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        offset.ExecuteNonQuery();

        _log.EnsureDatabaseFileExists();
        transaction.Commit();
        _completed = true;
        return ValueTask.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        var connection = _connection;
        if (connection is null)
            return ValueTask.CompletedTask;
        _connection = null;
        try
        {
            _transaction?.Dispose(); // rolls back unless committed
        }
        catch (SqliteException)
        {
            connection.Broken = true;
        }
        catch (InvalidOperationException)
        {
            connection.Broken = true;
        }
        _transaction = null;
        _pool.Return(connection);
        return ValueTask.CompletedTask;
    }
}
