using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// The log's in-process write lock, taken before every <c>BEGIN IMMEDIATE</c> of the log's connections (appends,
/// consumer progress, handler transactions, dead letters, offsets, retention). SQLite lets one connection write at a
/// time, and a connection that finds the database locked sleeps in its busy handler (1, 2, 5, 10 ... ms between tries)
/// instead of waking when the lock is free; queuing the log's own writers here hands the lock over at once. The busy
/// handler stays for writers in other processes.
/// </summary>
/// <remarks>
/// A wait is bounded by the busy timeout and then fails as SQLite would (<c>SQLITE_BUSY</c>): a holder that never lets
/// go (a handler that holds the log's transaction and waits for a Persisted publish, which needs the appender) makes
/// the others fail and retry as before, instead of deadlocking.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable",
    Justification = "A SemaphoreSlim holds an OS handle only once AvailableWaitHandle is read, which this never does; disposing it would make a late holder's release throw.")]
internal sealed class WriteGate(TimeSpan timeout, string databasePath)
{
    private const int SqliteBusy = 5;

    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Waits for the lock without blocking a thread.</summary>
    public async ValueTask<Held> EnterAsync(CancellationToken cancellationToken)
    {
        if (!await _semaphore.WaitAsync(timeout, cancellationToken).ConfigureAwait(false))
            throw TimedOut();
        return new Held(_semaphore);
    }

    /// <summary>Waits for the lock on this thread (for callers that cannot await, such as a property getter).</summary>
    public Held Enter()
    {
        if (!_semaphore.Wait(timeout))
            throw TimedOut();
        return new Held(_semaphore);
    }

    /// <summary>Waits for the lock with no time limit (disposal waits for the write in progress).</summary>
    public Held EnterForDispose()
    {
        _semaphore.Wait();
        return new Held(_semaphore);
    }

    private SqliteException TimedOut() => new(
        $"database is locked: another writer of the log in this process held '{databasePath}' for longer than the busy " +
        $"timeout ({timeout.TotalMilliseconds:0} ms).", SqliteBusy);

    /// <summary>The lock, held until disposed.</summary>
    public sealed class Held(SemaphoreSlim semaphore) : IDisposable
    {
        private SemaphoreSlim? _semaphore = semaphore;

        public void Dispose() => Interlocked.Exchange(ref _semaphore, null)?.Release();
    }
}
