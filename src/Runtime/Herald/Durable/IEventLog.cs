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
/// envelope it finished with (handled, dead-lettered, or moved past because it was not its event), and an inbox: the ids
/// of the envelopes it handled. A consumer handles what one <see cref="ReadAsync"/> returned as one unit of work,
/// <see cref="BeginHandlingAsync(string, IReadOnlyList{EventEnvelope}, CancellationToken)"/>, which looks the whole
/// batch up in the inbox once and opens one <see cref="IHandlingScope"/> per envelope.
/// <see cref="IHandlingScope.CompleteAsync"/> only makes the envelope's inbox mark pending;
/// <see cref="IHandlingBatch.CommitAsync"/> writes every pending mark and the offset in one transaction. So:</para>
/// <list type="bullet">
/// <item><description><b>At least once.</b> The offset never moves past an envelope whose handling was not committed
/// (or dead-lettered).</description></item>
/// <item><description><b>A crash redelivers exactly the uncommitted envelopes</b>: those after the last committed
/// offset. Every envelope up to it has its inbox mark committed; none after it has.</description></item>
/// <item><description><b>A handler that writes to the same store never applies an envelope twice.</b> The first access
/// to <see cref="IHandlingScope.Transaction"/> opens the store's transaction for that envelope (and, where the store
/// has one writer at a time, takes its write lock); completing the scope then commits the handler's writes, the
/// envelope's inbox mark, the pending marks of the earlier envelopes of the batch and the offset together, at once. A
/// scope whose transaction was never opened adds no write of its own: its mark waits for the batch's commit. Either
/// way a mark is committed with (never before, never after) the handler writes it guards, and a redelivered envelope
/// whose mark is committed comes back with <see cref="IHandlingScope.AlreadyHandled"/> set.</description></item>
/// <item><description><b>Disposing without committing</b> (a batch not committed, a scope not completed) writes
/// nothing: its envelopes are delivered again.</description></item>
/// </list>
/// <para>Dead letters (<see cref="AddDeadLetterAsync"/>) move the offset in the letter's own transaction; a consumer
/// commits its batch's pending marks before it dead-letters, so the offset never passes an unmarked handled
/// envelope.</para>
/// <para><b>Thread safety.</b> Implementations are safe for concurrent use; Herald calls <see cref="AppendAsync"/> from
/// one writer at a time. A handling batch and its scopes serve one caller at a time.</para>
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

    /// <summary>
    /// Opens the unit of work in which <paramref name="consumer"/> handles <paramref name="envelopes"/> (what one
    /// <see cref="ReadAsync"/> returned, in that order): the inbox is looked up once for the whole batch, and the marks
    /// and the offset are committed by <see cref="IHandlingBatch.CommitAsync"/> (or with a handler's transaction, see
    /// <see cref="IHandlingScope.CompleteAsync"/>).
    /// </summary>
    ValueTask<IHandlingBatch> BeginHandlingAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken);

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
/// The unit of work of one consumer handling one read batch (see
/// <see cref="IEventLog.BeginHandlingAsync(string, IReadOnlyList{EventEnvelope}, CancellationToken)"/>). Used by one
/// caller at a time. Disposing it commits nothing: what was not committed is delivered again.
/// </summary>
public interface IHandlingBatch : IAsyncDisposable
{
    /// <summary>
    /// Opens the unit of work of <paramref name="envelope"/>, an envelope of the batch; envelopes are begun in batch order,
    /// one scope at a time (the previous one completed or disposed).
    /// </summary>
    ValueTask<IHandlingScope> BeginAsync(EventEnvelope envelope, CancellationToken cancellationToken);

    /// <summary>
    /// Moves the pending offset past <paramref name="envelope"/> without an inbox mark (it is not this consumer's
    /// event); written by the next commit.
    /// </summary>
    void Skip(EventEnvelope envelope);

    /// <summary>
    /// Commits every pending inbox mark and moves the offset to the last envelope completed or skipped, in one
    /// transaction; writes nothing when nothing is pending. Call it before anything else moves this consumer's offset
    /// (a dead letter), and at the end of the batch.
    /// </summary>
    ValueTask CommitAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The unit of work of one consumer handling one envelope of an <see cref="IHandlingBatch"/>. Disposing it without
/// <see cref="CompleteAsync"/> rolls back what was written through <see cref="Transaction"/> and adds no mark: the
/// envelope is delivered again.
/// </summary>
public interface IHandlingScope : IAsyncDisposable
{
    /// <summary>
    /// The consumer's inbox already holds this envelope's id (committed before the batch began, or completed earlier in
    /// this batch): it was handled; complete without handling again.
    /// </summary>
    bool AlreadyHandled { get; }

    /// <summary>
    /// The store's own transaction object (for SQLite, a <c>SqliteTransaction</c>) for handlers that write to the same
    /// store and want their writes committed with the inbox mark; null when the store has none. The first access opens
    /// the transaction (on SQLite: takes the log's write lock, which other writers then wait for until the scope
    /// completes or is disposed); a handler that never reads it costs no transaction of its own.
    /// </summary>
    object? Transaction { get; }

    /// <summary>
    /// Records the inbox mark and moves the pending offset to the envelope. When <see cref="Transaction"/> was opened,
    /// commits it now with the mark, the batch's earlier pending marks and the offset; otherwise the mark waits for
    /// <see cref="IHandlingBatch.CommitAsync"/>.
    /// </summary>
    ValueTask CompleteAsync(CancellationToken cancellationToken);
}
