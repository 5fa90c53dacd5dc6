using System.Collections.Concurrent;
using System.Globalization;
using Npgsql;

namespace Herald.Postgres.Storage;

/// <summary>
/// Wakes this process's consumers when any process appended to the log: a dedicated connection LISTENs on the log's
/// channel (<see cref="Sql.Channel"/>), which every append notifies in its own transaction, so PostgreSQL delivers the
/// notification once the append has committed (and never for one rolled back). The payload names the partitions
/// appended to. Notifications from the connections this process's log writer appended on are skipped: the writer wakes
/// its own consumers in process. When the connection drops (a restart, <c>pg_terminate_backend</c>) it reconnects with
/// backoff and then wakes every partition once, since appends may have been missed meanwhile; until then consumers
/// poll (<see cref="ConsumerOptions.PollInterval"/>).
/// </summary>
internal sealed class AppendListener : IAsyncDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(5);

    private readonly PostgresDatabase _database;
    private readonly string _connectionString;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<int, byte> _ownBackends = new();
    private readonly Lock _gate = new();
    private Action<int>[] _subscribers = [];
    private Task? _loop;
    private int _connected;
    private int _processId;

    public AppendListener(PostgresDatabase database)
    {
        _database = database;
        // A connection of its own, outside the pool, with keep-alives so that a silent network loss is noticed too.
        _connectionString = new NpgsqlConnectionStringBuilder(database.Builder.ConnectionString)
        {
            Pooling = false,
            KeepAlive = 10,
        }.ConnectionString;
    }

    /// <summary>Whether the listening connection is up (for tests and diagnostics).</summary>
    public bool IsListening => Volatile.Read(ref _connected) != 0;

    /// <summary>The server process of the listening connection, 0 while it is down (for tests: to terminate it).</summary>
    public int ProcessId => Volatile.Read(ref _processId);

    /// <summary>How many times it connected and issued LISTEN (for tests: a reconnect raises it).</summary>
    public int Connections { get; private set; }

    /// <summary>Records that the log writer appended on backend <paramref name="processId"/> (its own notifications are skipped).</summary>
    public void OwnBackend(int processId)
    {
        if (_ownBackends.Count > 1024)
            _ownBackends.Clear();
        _ownBackends.TryAdd(processId, 0);
    }

    public IDisposable Subscribe(Action<int> appended)
    {
        ArgumentNullException.ThrowIfNull(appended);
        lock (_gate)
        {
            _subscribers = [.. _subscribers, appended];
            _loop ??= Task.Run(ListenAsync);
        }
        return new Subscription(this, appended);
    }

    private async Task ListenAsync()
    {
        var stopping = _stopping.Token;
        var delay = FirstRetryDelay;
        var first = true;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(_connectionString);
                await connection.OpenAsync(stopping).ConfigureAwait(false);
                connection.Notification += OnNotification;
                await using (var listen = new NpgsqlCommand($"LISTEN \"{_database.Sql.Channel}\"", connection))
                    await listen.ExecuteNonQueryAsync(stopping).ConfigureAwait(false);
                Connections++;
                Volatile.Write(ref _processId, connection.ProcessID);
                Volatile.Write(ref _connected, 1);
                delay = FirstRetryDelay;
                if (!first)
                    Publish(-1); // appends made while the connection was down were not notified here
                first = false;
                while (!stopping.IsCancellationRequested)
                    await connection.WaitAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                // The connection dropped or could not be opened: consumers poll until it is back.
            }
            finally
            {
                Volatile.Write(ref _connected, 0);
                Volatile.Write(ref _processId, 0);
            }
            try
            {
                await Task.Delay(delay, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            delay = delay * 2 < MaxRetryDelay ? delay * 2 : MaxRetryDelay;
        }
    }

    private void OnNotification(object sender, NpgsqlNotificationEventArgs e)
    {
        if (_ownBackends.ContainsKey(e.PID))
            return;
        foreach (var part in e.Payload.Split(','))
        {
            if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) && partition >= 0 && partition < _database.Partitions)
                Publish(partition);
            else
                Publish(-1); // not a payload this version writes: look at every partition
        }
    }

    private void Publish(int partition)
    {
        foreach (var subscriber in Volatile.Read(ref _subscribers))
            subscriber(partition);
    }

    private void Unsubscribe(Action<int> appended)
    {
        lock (_gate)
            _subscribers = [.. _subscribers.Where(s => s != appended)];
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
            await loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private sealed class Subscription(AppendListener listener, Action<int> appended) : IDisposable
    {
        public void Dispose() => listener.Unsubscribe(appended);
    }
}
