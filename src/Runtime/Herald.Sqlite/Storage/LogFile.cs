using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// What the parts of one <see cref="SqliteEventLog"/> share: the database, its pool of connections, the in-process
/// write gate, and the checks every write makes (the log is not disposed, its file was not removed).
/// </summary>
internal sealed class LogFile(SqliteDatabase database, ConnectionPool pool, WriteGate gate, int partitions)
{
    private int _disposed;

    public SqliteDatabase Database => database;

    public ConnectionPool Pool => pool;

    public WriteGate Gate => gate;

    public int Partitions => partitions;

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public bool MarkDisposed() => Interlocked.Exchange(ref _disposed, 1) == 0;

    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, typeof(SqliteEventLog));

    public void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= partitions)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The log has partitions 0 to {partitions - 1}.");
    }

    public LogConnection Rent()
    {
        ThrowIfDisposed();
        return pool.Rent();
    }

    /// <summary>Returns a connection; one left inside a transaction is closed (which rolls it back), never reused.</summary>
    public void Return(LogConnection connection)
    {
        if (connection.InTransaction)
            connection.Broken = true;
        pool.Return(connection);
    }

    /// <summary>Runs <paramref name="read"/> in a read transaction: every statement sees one snapshot.</summary>
    public T Read<T>(Func<LogConnection, SqliteTransaction, T> read)
    {
        var connection = Rent();
        try
        {
            using var transaction = connection.Connection.BeginTransaction(deferred: true);
            var result = read(connection, transaction);
            transaction.Commit();
            return result;
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>Runs <paramref name="write"/> in a <c>BEGIN IMMEDIATE</c> transaction under the write gate, and commits.</summary>
    public async ValueTask<T> WriteAsync<T>(Func<LogConnection, SqliteTransaction, T> write, CancellationToken cancellationToken)
    {
        var connection = Rent();
        try
        {
            using var held = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.Connection.BeginTransaction(deferred: false);
            var result = write(connection, transaction);
            EnsureFileExists();
            transaction.Commit();
            return result;
        }
        finally
        {
            Return(connection);
        }
    }

    /// <summary>Refuses to write into a database file that was deleted while open (its writes would never be read).</summary>
    public void EnsureFileExists()
    {
        if (!File.Exists(database.Path))
            throw new IOException(
                $"The database file '{database.Path}' was removed while the log had it open; what would be written now " +
                "could never be read. Nothing was committed. Restore the file, or restart the app to create a new one.");
    }
}
