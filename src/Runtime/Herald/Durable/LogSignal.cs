namespace Herald.Durable;

/// <summary>
/// Wakes idle partition workers when this process commits events they read: a worker registers its partition and the
/// event types it handles, and an append wakes only the workers of the partitions it touched whose types it holds, so
/// a busy log of other consumers' events does not make a worker read for nothing. Appends by other processes are
/// found by polling (or by the transport's own notification, which calls <see cref="Pulse(int)"/>).
/// </summary>
internal sealed class LogSignal
{
    private readonly Lock _gate = new();
    private Waiter[] _waiters = [];

    /// <summary>Registers a worker of <paramref name="partition"/> that handles <paramref name="types"/>.</summary>
    public Waiter Register(int partition, IReadOnlySet<string> types)
    {
        var waiter = new Waiter(this, partition, types);
        lock (_gate)
            _waiters = [.. _waiters, waiter];
        return waiter;
    }

    /// <summary>Wakes the workers that read an envelope of <paramref name="batch"/> at <paramref name="positions"/>.</summary>
    public void Appended(IReadOnlyList<EventEnvelope> batch, IReadOnlyList<LogPosition> positions)
    {
        var waiters = Volatile.Read(ref _waiters);
        foreach (var waiter in waiters)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (positions[i].Partition == waiter.Partition && waiter.Types.Contains(batch[i].Type))
                {
                    waiter.Wake();
                    break;
                }
            }
        }
    }

    /// <summary>Wakes every worker of <paramref name="partition"/> (events of unknown types arrived there).</summary>
    public void Pulse(int partition)
    {
        foreach (var waiter in Volatile.Read(ref _waiters))
        {
            if (waiter.Partition == partition)
                waiter.Wake();
        }
    }

    /// <summary>Wakes every worker.</summary>
    public void PulseAll()
    {
        foreach (var waiter in Volatile.Read(ref _waiters))
            waiter.Wake();
    }

    private void Remove(Waiter waiter)
    {
        lock (_gate)
            _waiters = [.. _waiters.Where(w => w != waiter)];
    }

    /// <summary>One worker's wake-ups. Read <see cref="Version"/> before reading the log, then wait with it: an append in
    /// between is never missed.</summary>
    internal sealed class Waiter(LogSignal signal, int partition, IReadOnlySet<string> types) : IDisposable
    {
        private readonly Lock _gate = new();
        private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _version;

        public int Partition { get; } = partition;

        public IReadOnlySet<string> Types { get; } = types;

        public int Version => Volatile.Read(ref _version);

        public void Wake()
        {
            TaskCompletionSource woken;
            lock (_gate)
            {
                _version++;
                woken = _next;
                _next = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            woken.TrySetResult();
        }

        /// <summary>Completes at the first wake-up after <paramref name="version"/> was read, or after the timeout.</summary>
        public async Task WaitAsync(int version, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
        {
            Task next;
            lock (_gate)
            {
                if (_version != version)
                    return;
                next = _next.Task;
            }
            try
            {
                await next.WaitAsync(timeout, time, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Nothing appended here in the meantime: look anyway (another process may have appended).
            }
        }

        public void Dispose() => signal.Remove(this);
    }
}
