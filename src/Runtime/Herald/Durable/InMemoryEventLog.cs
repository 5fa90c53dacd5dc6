namespace Herald.Durable;

/// <summary>
/// An <see cref="IEventLog"/> in process memory: the semantics of a durable log (positions, offsets, inbox, dead
/// letters, retention) without persistence. For development and tests; everything is gone when the process ends.
/// </summary>
public sealed class InMemoryEventLog : IEventLog
{
    /// <summary>The transport name of this log.</summary>
    public const string TransportName = "InMemory";

    private readonly Lock _gate = new();
    private readonly List<EventEnvelope> _events = [];
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private readonly HashSet<(string Consumer, Guid Id)> _inbox = [];
    private readonly List<DeadLetter> _deadLetters = [];
    private long _lastPosition;
    private long _lastDeadLetterId;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        cancellationToken.ThrowIfCancellationRequested();
        var positions = new long[batch.Count];
        lock (_gate)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                positions[i] = ++_lastPosition;
                _events.Add(batch[i].WithPosition(positions[i]));
            }
        }
        return ValueTask.FromResult<IReadOnlyList<long>>(positions);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EventEnvelope>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var start = FirstIndexAfter(afterPosition);
            var count = Math.Min(maxCount, _events.Count - start);
            return ValueTask.FromResult<IReadOnlyList<EventEnvelope>>(_events.GetRange(start, count));
        }
    }

    /// <inheritdoc />
    public ValueTask<LogBounds> GetBoundsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
            return ValueTask.FromResult(new LogBounds(_events.Count == 0 ? _lastPosition + 1 : _events[0].Position, _lastPosition));
    }

    /// <inheritdoc />
    public ValueTask<long?> GetOffsetAsync(string consumer, CancellationToken cancellationToken)
    {
        lock (_gate)
            return ValueTask.FromResult<long?>(_offsets.TryGetValue(consumer, out var offset) ? offset : null);
    }

    /// <inheritdoc />
    public ValueTask SetOffsetAsync(string consumer, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        lock (_gate)
            _offsets[consumer] = position;
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<long> FindPositionAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            foreach (var envelope in _events)
            {
                if (envelope.OccurredAt >= time)
                    return ValueTask.FromResult(envelope.Position - 1);
            }
            return ValueTask.FromResult(_lastPosition);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The same contract as the durable logs, without persistence: marks and the offset become visible when the batch
    /// commits; <see cref="IHandlingScope.Transaction"/> is null.
    /// </remarks>
    public ValueTask<IHandlingBatch> BeginHandlingAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(envelopes);
        cancellationToken.ThrowIfCancellationRequested();
        var handled = new HashSet<Guid>();
        lock (_gate)
        {
            foreach (var envelope in envelopes)
            {
                if (_inbox.Contains((consumer, envelope.Id)))
                    handled.Add(envelope.Id);
            }
        }
        return ValueTask.FromResult<IHandlingBatch>(new Batch(this, consumer, handled));
    }
    /// <inheritdoc />
    public ValueTask<long> AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        lock (_gate)
        {
            var stored = letter with { Id = ++_lastDeadLetterId };
            _deadLetters.Add(stored);
            if (letter.Consumer is not null)
                _offsets[letter.Consumer] = letter.Envelope.Position;
            return ValueTask.FromResult(stored.Id);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? consumer, int maxCount, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            IReadOnlyList<DeadLetter> letters = _deadLetters
                .Where(d => consumer is null || d.Consumer == consumer)
                .Take(maxCount)
                .ToArray();
            return ValueTask.FromResult(letters);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> DeleteDeadLetterAsync(long id, CancellationToken cancellationToken)
    {
        lock (_gate)
            return ValueTask.FromResult(_deadLetters.RemoveAll(d => d.Id == id) > 0);
    }

    /// <inheritdoc />
    public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            var remove = 0;
            if (policy.MaxEvents is { } maxEvents && _events.Count > maxEvents)
                remove = (int)(_events.Count - maxEvents);
            if (policy.MaxAge is { } maxAge)
            {
                var cutoff = DateTimeOffset.UtcNow - maxAge;
                while (remove < _events.Count && _events[remove].OccurredAt < cutoff)
                    remove++;
            }
            _events.RemoveRange(0, remove);
            return ValueTask.FromResult((long)remove);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private int FirstIndexAfter(long position)
    {
        int low = 0, high = _events.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_events[middle].Position <= position)
                low = middle + 1;
            else
                high = middle;
        }
        return low;
    }

    private sealed class Batch(InMemoryEventLog log, string consumer, HashSet<Guid> handled) : IHandlingBatch
    {
        private readonly List<Guid> _pending = [];
        private long _offset = -1;

        public ValueTask<IHandlingScope> BeginAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(envelope);
            return ValueTask.FromResult<IHandlingScope>(new Scope(this, envelope, handled.Contains(envelope.Id)));
        }

        public void Skip(EventEnvelope envelope) => _offset = Math.Max(_offset, envelope.Position);

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_offset < 0)
                return ValueTask.CompletedTask;
            lock (log._gate)
            {
                foreach (var id in _pending)
                    log._inbox.Add((consumer, id));
                log._offsets[consumer] = _offset;
            }
            _pending.Clear();
            _offset = -1;
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private void Complete(EventEnvelope envelope)
        {
            _pending.Add(envelope.Id);
            handled.Add(envelope.Id);
            _offset = Math.Max(_offset, envelope.Position);
        }

        private sealed class Scope(Batch batch, EventEnvelope envelope, bool alreadyHandled) : IHandlingScope
        {
            private bool _completed;

            public bool AlreadyHandled => alreadyHandled;

            public object? Transaction => null;

            public ValueTask CompleteAsync(CancellationToken cancellationToken)
            {
                if (_completed)
                    throw new InvalidOperationException("This handling scope was already completed.");
                _completed = true;
                batch.Complete(envelope);
                return ValueTask.CompletedTask;
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }
}
