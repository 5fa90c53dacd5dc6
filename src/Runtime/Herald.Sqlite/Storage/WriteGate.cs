using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// The log's in-process write lock, taken before every <c>BEGIN IMMEDIATE</c> of the log's connections (appends,
/// consumer commits, handler transactions, leases, offsets, retention). SQLite lets one connection write at a time,
/// and a connection that finds the database locked sleeps in its busy handler (1, 2, 5, 10 ... ms between tries)
/// instead of waking when the lock is free; queuing the log's own writers here hands the lock over at once. The busy
/// handler stays for writers in other processes.
/// </summary>
/// <remarks>
/// <para>The appender goes first: when the lock is released, a waiting append is given it before waiting consumer
/// commits, lease renewals and the rest. With 8 partitions, every append wakes up to 8 partition workers whose commits
/// would otherwise queue ahead of the next append, and a <c>Persisted</c> publisher waits for that append (measured:
/// the writer's time per commit fell from a p50 of 5.2 ms to [see benchmarks/README.md] at 10,000 events/s).</para>
/// <para>A wait is bounded by the busy timeout and then fails as SQLite would (<c>SQLITE_BUSY</c>): a holder that never
/// lets go (a handler that holds the log's transaction and waits for a Persisted publish, which needs the appender)
/// makes the others fail and retry as before, instead of deadlocking.</para>
/// </remarks>
internal sealed class WriteGate(TimeSpan timeout, string databasePath)
{
    private const int SqliteBusy = 5;

    private readonly Lock _lock = new();
    private readonly LinkedList<TaskCompletionSource<bool>> _first = [];
    private readonly LinkedList<TaskCompletionSource<bool>> _rest = [];
    private bool _held;

    /// <summary>How many wait for the lock now (tests).</summary>
    internal int Waiting
    {
        get
        {
            lock (_lock)
                return _first.Count + _rest.Count;
        }
    }

    /// <summary>Waits for the lock without blocking a thread, at most the busy timeout.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <param name="first">Go ahead of the other waiters (the appender).</param>
    public ValueTask<Held> EnterAsync(CancellationToken cancellationToken, bool first = false)
        => EnterAsync(timeout, first, cancellationToken);

    /// <summary>Waits for the lock with no time limit (disposal waits for the write in progress).</summary>
    public Held EnterForDispose() => EnterAsync(Timeout.InfiniteTimeSpan, first: true, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private async ValueTask<Held> EnterAsync(TimeSpan limit, bool first, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<bool> waiter;
        LinkedListNode<TaskCompletionSource<bool>> node;
        lock (_lock)
        {
            if (!_held)
            {
                _held = true;
                return new Held(this);
            }
            waiter = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = (first ? _first : _rest).AddLast(waiter);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (limit != Timeout.InfiniteTimeSpan)
            stop.CancelAfter(limit);
        bool granted;
        using (stop.Token.Register(() => Abandon(node)))
            granted = await waiter.Task.ConfigureAwait(false);
        if (granted)
            return new Held(this);
        cancellationToken.ThrowIfCancellationRequested();
        throw TimedOut();
    }

    /// <summary>Gives up a wait that was not granted yet (timed out or canceled).</summary>
    private void Abandon(LinkedListNode<TaskCompletionSource<bool>> node)
    {
        lock (_lock)
        {
            if (node.List is null)
                return; // already granted: the waiter owns the lock and releases it
            node.List.Remove(node);
        }
        node.Value.TrySetResult(false);
    }

    private void Release()
    {
        TaskCompletionSource<bool>? next;
        lock (_lock)
        {
            var queue = _first.Count > 0 ? _first : _rest;
            if (queue.First is { } node)
            {
                queue.RemoveFirst();
                next = node.Value; // the lock passes to it: _held stays true
            }
            else
            {
                next = null;
                _held = false;
            }
        }
        next?.TrySetResult(true);
    }

    private SqliteException TimedOut() => new(
        $"database is locked: another writer of the log in this process held '{databasePath}' for longer than the busy " +
        $"timeout ({timeout.TotalMilliseconds:0} ms).", SqliteBusy);

    /// <summary>The lock, held until disposed.</summary>
    public sealed class Held(WriteGate gate) : IDisposable
    {
        private WriteGate? _gate = gate;

        public void Dispose() => Interlocked.Exchange(ref _gate, null)?.Release();
    }
}
