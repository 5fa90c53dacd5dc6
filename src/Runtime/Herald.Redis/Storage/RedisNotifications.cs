using System.Globalization;
using StackExchange.Redis;

namespace Herald.Redis.Storage;

/// <summary>
/// Wakes this process's consumers when another process appended: every append script publishes one message on the
/// log's channel (<c>{prefix}appended</c>) naming the writer and the partitions it touched, and this subscription
/// (on StackExchange.Redis's pub/sub connection) pulses those partitions.
/// </summary>
/// <remarks>
/// <para><b>Why pub/sub, not a blocking read and not polling.</b> The multiplexer must never block, so a blocking
/// <c>XREAD</c> would need a connection of its own per process, a wait shorter than the client's timeout, and a
/// command naming every (partition, type) stream this process consumes, re-issued whenever one is added. Short polling
/// costs a read per partition and consumer per interval even when nothing happens, and its latency is the interval.
/// A message published by the append script itself (so it is sent once the entries exist) reaches every subscribed
/// process within the server's round trip, costs one message per append batch, and needs no connection beyond the
/// subscription connection the client keeps anyway.</para>
/// <para><b>Lost messages.</b> Pub/sub delivers at most once: a message sent while this process was disconnected is
/// lost. Consumers keep polling (<c>ConsumerOptions.PollInterval</c>) as the fallback, and a reconnection pulses every
/// partition at once, so a lost message costs at most one poll interval. Messages of this process's own appends are
/// ignored: its log writer wakes its consumers directly, by partition and type.</para>
/// </remarks>
internal sealed class RedisNotifications : IDisposable
{
    private readonly RedisStore _store;
    private readonly string _origin;
    private readonly Lock _gate = new();
    private Action<int>[] _listeners = [];
    private ChannelMessageQueue? _queue;

    public RedisNotifications(RedisStore store, string origin)
    {
        _store = store;
        _origin = origin;
        store.Connection.ConnectionFailed += OnConnectionFailed;
        store.Connection.ConnectionRestored += OnConnectionRestored;
    }

    public IDisposable Subscribe(Action<int> appended)
    {
        ArgumentNullException.ThrowIfNull(appended);
        lock (_gate)
        {
            _listeners = [.. _listeners, appended];
            if (_queue is null)
            {
                _queue = _store.Subscriber.Subscribe(_store.Keys.Appended);
                _queue.OnMessage(OnMessage);
            }
        }
        return new Registration(this, appended);
    }

    public void Dispose()
    {
        _store.Connection.ConnectionFailed -= OnConnectionFailed;
        _store.Connection.ConnectionRestored -= OnConnectionRestored;
        ChannelMessageQueue? queue;
        lock (_gate)
        {
            queue = _queue;
            _queue = null;
            _listeners = [];
        }
        try
        {
            queue?.Unsubscribe();
        }
        catch (Exception exception) when (exception is RedisException or ObjectDisposedException)
        {
            // The connection is closing anyway.
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        var text = (string?)message.Message;
        if (text is null)
            return;
        var space = text.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0 || text.AsSpan(0, space).SequenceEqual(_origin))
            return;
        var listeners = Volatile.Read(ref _listeners);
        foreach (var range in text.AsSpan(space + 1).Split(','))
        {
            if (!int.TryParse(text.AsSpan(space + 1)[range], NumberStyles.None, CultureInfo.InvariantCulture, out var partition))
                continue;
            foreach (var listener in listeners)
                listener(partition);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Interactive)
            RedisLog.ConnectionLost(_store.Logger, _store.Endpoints, e.FailureType.ToString());
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription)
            return;
        RedisLog.ConnectionRestored(_store.Logger, _store.Endpoints);
        foreach (var listener in Volatile.Read(ref _listeners))
            listener(-1);
    }

    private void Remove(Action<int> appended)
    {
        lock (_gate)
            _listeners = [.. _listeners.Where(l => l != appended)];
    }

    private sealed class Registration(RedisNotifications owner, Action<int> appended) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                owner.Remove(appended);
        }
    }
}
