namespace Herald.Durable;

/// <summary>
/// What consumers have done: committed offsets per (consumer, partition), the inbox of handled envelope ids, and the
/// fenced commit that writes both. Part of the <see cref="IEventLog"/> contract, whose remarks give the semantics.
/// Consumers use it through <see cref="HandlingBatch"/>, which keeps the pending marks and offset of a read batch.
/// </summary>
public interface ICheckpointStore
{
    /// <summary>The committed offsets of <paramref name="consumer"/>, one per partition it ever committed in, by partition.</summary>
    ValueTask<IReadOnlyList<ConsumerOffset>> GetOffsetsAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>
    /// Moves <paramref name="consumer"/>'s offset in <paramref name="partition"/> (replay backwards, skip forwards), for
    /// operators and tools. Not fenced: it also raises the partition's lease epoch, so a member handling the partition
    /// cannot commit over it, stops, and resumes from the new offset.
    /// </summary>
    ValueTask SetOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken);

    /// <summary>Every consumer the store knows of (with an offset, a lease or a member), in ordinal order.</summary>
    ValueTask<IReadOnlyList<string>> ListConsumersAsync(CancellationToken cancellationToken);

    /// <summary>Which of <paramref name="envelopes"/> are in <paramref name="consumer"/>'s inbox (handled and committed).</summary>
    ValueTask<IReadOnlySet<Guid>> FindHandledAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken);

    /// <summary>
    /// Opens a transaction of the store for a handler's own writes, to be committed by <see cref="CommitAsync"/> with
    /// the handler's inbox mark; null when the store has no transactions. Where the store has one writer at a time
    /// (SQLite) this waits for, and holds, its write lock until the transaction ends.
    /// </summary>
    ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="commit"/> in one transaction (the handler's, when <see cref="ProgressCommit.Transaction"/>
    /// is set, which it then commits): the marks, the dead letter, and the offset, only if the lease is still held at
    /// its epoch by its owner (expired but not taken counts as held: nobody else can have committed). Otherwise writes
    /// nothing, rolls the handler's transaction back, and throws <see cref="LeaseLostException"/>.
    /// </summary>
    ValueTask CommitAsync(ProgressCommit commit, CancellationToken cancellationToken);
}
