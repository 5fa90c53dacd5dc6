namespace Herald.Durable;

/// <summary>The offsets and inbox of an <see cref="InMemoryEventLog"/>, committed under its leases.</summary>
internal sealed class InMemoryCheckpoints(Lock gate, InMemoryLeases leases, InMemoryDeadLetters deadLetters) : ICheckpointStore
{
    private readonly Dictionary<(string Consumer, int Partition), ConsumerOffset> _offsets = [];
    private readonly HashSet<(string Consumer, Guid Id)> _inbox = [];

    public ValueTask<IReadOnlyList<ConsumerOffset>> GetOffsetsAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        lock (gate)
        {
            IReadOnlyList<ConsumerOffset> offsets = [.. _offsets.Values.Where(o => o.Consumer == consumer).OrderBy(o => o.Partition)];
            return ValueTask.FromResult(offsets);
        }
    }

    public ValueTask SetOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        leases.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            _offsets[(consumer, partition)] = new ConsumerOffset(consumer, partition, position, DateTimeOffset.UtcNow);
            leases.Fence(consumer, partition);
        }
        return ValueTask.CompletedTask;
    }

    public ValueTask<IReadOnlyList<string>> ListConsumersAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            IReadOnlyList<string> consumers = [.. _offsets.Keys.Select(k => k.Consumer).Concat(leases.Consumers()).Distinct().Order(StringComparer.Ordinal)];
            return ValueTask.FromResult(consumers);
        }
    }

    public ValueTask<IReadOnlySet<Guid>> FindHandledAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(envelopes);
        cancellationToken.ThrowIfCancellationRequested();
        var handled = new HashSet<Guid>();
        lock (gate)
        {
            foreach (var envelope in envelopes)
            {
                if (_inbox.Contains((consumer, envelope.Id)))
                    handled.Add(envelope.Id);
            }
        }
        return ValueTask.FromResult<IReadOnlySet<Guid>>(handled);
    }

    /// <inheritdoc />
    /// <remarks>The in-memory log has no transactions: handlers get none.</remarks>
    public ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IStoreTransaction?>(null);

    public ValueTask CommitAsync(ProgressCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentOutOfRangeException.ThrowIfNegative(commit.Offset);
        cancellationToken.ThrowIfCancellationRequested();
        if (commit.Transaction is not null)
            throw new ArgumentException("The in-memory log has no transactions; this one is not its own.", nameof(commit));
        var lease = commit.Lease;
        leases.CheckPartition(lease.Partition);
        lock (gate)
        {
            if (!leases.IsCurrent(lease))
                throw new LeaseLostException(lease);
            foreach (var mark in commit.Marks)
                _inbox.Add((lease.Consumer, mark.EventId));
            if (commit.DeadLetter is { } letter)
                deadLetters.Add(letter);
            _offsets[(lease.Consumer, lease.Partition)] = new ConsumerOffset(lease.Consumer, lease.Partition, commit.Offset, DateTimeOffset.UtcNow);
        }
        return ValueTask.CompletedTask;
    }

    /// <summary>Removes the inbox marks of envelopes no longer retained nor dead-lettered.</summary>
    public void ForgetMarks(HashSet<Guid> retained, HashSet<Guid> deadLettered)
    {
        lock (gate)
            _inbox.RemoveWhere(mark => !retained.Contains(mark.Id) && !deadLettered.Contains(mark.Id));
    }
}
