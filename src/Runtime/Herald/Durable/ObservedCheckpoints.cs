namespace Herald.Durable;

/// <summary>
/// The log's checkpoint store as this runtime's consumers use it: every call goes to the log's own store, and a commit
/// that succeeded is reported to the observers (<see cref="DurableObserver.OnCommitted"/>), so that a test harness can
/// wait for progress on a signal instead of polling the log.
/// </summary>
internal sealed class ObservedCheckpoints(ICheckpointStore store, DurableObservers observers) : ICheckpointStore
{
    public ValueTask<IReadOnlyList<ConsumerOffset>> GetOffsetsAsync(string consumer, CancellationToken cancellationToken)
        => store.GetOffsetsAsync(consumer, cancellationToken);

    public ValueTask SetOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken)
        => store.SetOffsetAsync(consumer, partition, position, cancellationToken);

    public ValueTask<IReadOnlyList<string>> ListConsumersAsync(CancellationToken cancellationToken)
        => store.ListConsumersAsync(cancellationToken);

    public ValueTask<IReadOnlySet<Guid>> FindHandledAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
        => store.FindHandledAsync(consumer, envelopes, cancellationToken);

    public ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken)
        => store.BeginTransactionAsync(cancellationToken);

    public async ValueTask CommitAsync(ProgressCommit commit, CancellationToken cancellationToken)
    {
        await store.CommitAsync(commit, cancellationToken).ConfigureAwait(false);
        observers.Committed(commit.Lease.Consumer, commit.Lease.Partition, commit.Offset);
    }
}
