namespace Herald.Durable;

/// <summary>
/// The durable log that Herald appends events to and delivers durable consumers from. SQLite implements it as the
/// embedded default; Redis Streams and PostgreSQL implement the same contract.
/// </summary>
/// <remarks>
/// <para><b>Positions.</b> A position is a positive 64-bit integer the log assigns at append. Positions are strictly
/// increasing in commit order and never reused; gaps are allowed (an aborted append, retention). 0 means "before the
/// first event".</para>
/// <para><b>Append.</b> <see cref="AppendAsync"/> commits a batch atomically: every envelope of the batch or none. When
/// the returned task completes successfully the batch is durable (per the log's own durability settings) and visible
/// to <see cref="ReadAsync"/>; the positions are returned in batch order. A failed append leaves nothing visible.</para>
/// <para><b>Read.</b> <see cref="ReadAsync"/> returns committed envelopes with a position greater than the one given,
/// in ascending position order, at most the count asked; it never returns an uncommitted envelope and never skips a
/// committed one that is still retained (an envelope committed after a read started may appear in the next read).
/// <see cref="EventEnvelope.OccurredAt"/> may come back at the store's precision (milliseconds on SQLite). Stored data
/// that cannot be decoded comes back as an envelope of type <see cref="EventEnvelope.CorruptType"/>, not as an error,
/// so a consumer dead-letters it and moves on.</para>
/// <para><b>Offsets and the inbox.</b> Each durable consumer has one committed offset: the position of the last
/// envelope it finished with (handled or dead-lettered). <see cref="BeginHandlingAsync"/> opens the unit of work of one
/// envelope: it tells whether the consumer's inbox already holds the envelope's id, and
/// <see cref="IHandlingScope.CompleteAsync"/> records the inbox mark and moves the offset in one transaction, so a
/// crash between handling and committing redelivers exactly the uncommitted envelopes and the inbox keeps a handler
/// that writes to the same store from applying one twice.</para>
/// <para><b>Thread safety.</b> Implementations are safe for concurrent use; Herald calls <see cref="AppendAsync"/> from
/// one writer at a time.</para>
/// </remarks>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>Appends a batch atomically and returns the positions given to its envelopes, in batch order.</summary>
    ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken);

    /// <summary>Reads committed envelopes after <paramref name="afterPosition"/>, ascending, at most <paramref name="maxCount"/>.</summary>
    ValueTask<IReadOnlyList<EventEnvelope>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken);

    /// <summary>
    /// The first retained and the last committed positions. When nothing is retained (never appended, or retention
    /// removed everything) <see cref="LogBounds.First"/> is <see cref="LogBounds.Last"/> + 1.
    /// </summary>
    ValueTask<LogBounds> GetBoundsAsync(CancellationToken cancellationToken);

    /// <summary>The committed offset of <paramref name="consumer"/>; null when it never committed one.</summary>
    ValueTask<long?> GetOffsetAsync(string consumer, CancellationToken cancellationToken);

    /// <summary>Moves <paramref name="consumer"/>'s offset, backwards (replay) or forwards (skip); clears nothing else.</summary>
    ValueTask SetOffsetAsync(string consumer, long position, CancellationToken cancellationToken);

    /// <summary>
    /// The position just before the first retained envelope that occurred at or after <paramref name="time"/>:
    /// setting a consumer's offset to it replays from that time.
    /// </summary>
    ValueTask<long> FindPositionAsync(DateTimeOffset time, CancellationToken cancellationToken);

    /// <summary>Opens the unit of work in which <paramref name="consumer"/> handles <paramref name="envelope"/>.</summary>
    ValueTask<IHandlingScope> BeginHandlingAsync(string consumer, EventEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// Stores a dead letter and returns its id. When the letter names a consumer, that consumer's offset moves to the
    /// envelope's position in the same transaction, so the consumer moves on only once the letter is safe.
    /// </summary>
    ValueTask<long> AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken);

    /// <summary>Dead letters, oldest first; only <paramref name="consumer"/>'s when given.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? consumer, int maxCount, CancellationToken cancellationToken);

    /// <summary>Removes a dead letter (after a replay or a purge); false when there was none with that id.</summary>
    ValueTask<bool> DeleteDeadLetterAsync(long id, CancellationToken cancellationToken);

    /// <summary>Removes what <paramref name="policy"/> no longer keeps; returns how many envelopes were removed.</summary>
    ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken);
}

/// <summary>The retained range of a log.</summary>
/// <param name="First">The first retained position; <paramref name="Last"/> + 1 when nothing is retained.</param>
/// <param name="Last">The last committed position; 0 when nothing was ever appended.</param>
public readonly record struct LogBounds(long First, long Last);

/// <summary>
/// The unit of work of one consumer handling one envelope (see <see cref="IEventLog.BeginHandlingAsync"/>). Disposing
/// it without <see cref="CompleteAsync"/> rolls back: the envelope is delivered again.
/// </summary>
public interface IHandlingScope : IAsyncDisposable
{
    /// <summary>The consumer's inbox already holds this envelope's id: it was handled; complete without handling again.</summary>
    bool AlreadyHandled { get; }

    /// <summary>
    /// The store's own transaction object (for SQLite, the <c>SqliteTransaction</c>), for handlers that write to the
    /// same store and want their writes committed with the inbox mark; null when the store has none.
    /// </summary>
    object? Transaction { get; }

    /// <summary>Records the inbox mark and moves the consumer's offset to the envelope, in one transaction.</summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
