namespace Herald.Sqlite.Storage;

/// <summary>
/// The log's connections for reads, handling scopes and administrative writes (appends have their own writer
/// connection). A connection serves one caller at a time; a few idle ones are kept open, the rest are closed.
/// </summary>
internal sealed class ConnectionPool(SqliteDatabase database) : IDisposable
{
    private const int MaxIdle = 8;

    private readonly Lock _gate = new();
    private readonly Stack<LogConnection> _idle = new();
    private bool _disposed;

    public LogConnection Rent()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteEventLog));
            if (_idle.TryPop(out var idle))
                return idle;
        }
        return new LogConnection(database.Open());
    }

    public void Return(LogConnection connection)
    {
        // A connection left inside a transaction (a rollback that failed) would hand that transaction to the next caller.
        if (!connection.Broken && !connection.InTransaction)
        {
            lock (_gate)
            {
                if (!_disposed && _idle.Count < MaxIdle)
                {
                    _idle.Push(connection);
                    return;
                }
            }
        }
        connection.Dispose();
    }

    public void Dispose()
    {
        LogConnection[] idle;
        lock (_gate)
        {
            _disposed = true;
            idle = [.. _idle];
            _idle.Clear();
        }
        foreach (var connection in idle)
            connection.Dispose();
    }
}
