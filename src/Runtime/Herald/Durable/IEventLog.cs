namespace Herald.Durable;

/// <summary>
/// The durable log that Herald appends events to and delivers durable consumers from. SQLite implements it as the
/// embedded default; PostgreSQL and Redis Streams implement the same contract, and every implementation passes the
/// same specification tests. It is made of five parts: <see cref="Stream"/> (the events), <see cref="Checkpoints"/>
/// (offsets and the inbox), <see cref="Leases"/> (consumer groups), <see cref="DeadLetters"/>, and retention
/// (<see cref="ApplyRetentionAsync"/>).
/// </summary>
/// <remarks>
/// <para><b>Partitions.</b> A log has a fixed number of partitions, chosen when it is created and stored with it; a
/// log opened with another count refuses to open (naming both counts) instead of silently moving keys between
/// partitions. An envelope's partition is <see cref="Partitioning.PartitionOf(EventEnvelope, int)"/>: a documented
/// hash of its partition key (of its id when it has none), the same in every process, version and language.</para>
/// <para><b>Positions.</b> A position names an event within its partition: the partition's first event is at 1, and
/// each append takes the next positions, so positions of a partition increase in commit order with no gap between
/// committed events (an append that failed leaves no gap; retention removes a prefix). Position 0 means "before the
/// first event". Order is guaranteed within a partition, which is what "order per partition key" means.</para>
/// <para><b>Append</b> (<see cref="IEventStream.AppendAsync"/>) commits a batch atomically: every envelope or none.
/// When it returns the batch is durable (per the store's own durability settings) and visible to reads.</para>
/// <para><b>Read</b> (<see cref="IEventStream.ReadAsync"/>) returns committed envelopes of one partition after a
/// position, ascending, optionally of given types only: a consumer reads only its own events, so its cost grows with
/// the events it handles, not with the size of the log. It never returns an uncommitted envelope and never skips a
/// committed one: an envelope committed after a read may appear in the next read, never before one it follows (the
/// sequence-gap problem is the store's to solve, not the reader's). <see cref="EventPage.ScannedTo"/> says how far the
/// partition was looked at, so the reader may move its offset past events of other types.
/// <see cref="EventEnvelope.OccurredAt"/> may come back at the store's precision (milliseconds on SQLite). Stored data
/// that cannot be decoded comes back as an envelope of type <see cref="EventEnvelope.CorruptType"/> (when its type
/// can be read and is asked for, or no types are asked for), never as an error, so the consumer dead-letters it and
/// moves on.</para>
/// <para><b>Consumer groups and leases.</b> A consumer name is a group; each process that runs it is a member,
/// announced by <see cref="ILeaseStore.HeartbeatAsync"/> and gone when it leaves or stops sending heartbeats. Each
/// (consumer, partition) is owned by at most one member at a time through a lease (owner, expiry, epoch). Taking a
/// lease that nobody holds raises its epoch; renewing keeps it; an operator's offset move raises it too. Times are
/// the caller's, so members' clocks should agree to well within a lease's duration (a skewed clock costs repeats,
/// never a lost or overwritten commit, because commits are fenced).</para>
/// <para><b>Offsets, the inbox, fencing.</b> Each (consumer, partition) has one committed offset: the position of the
/// last envelope the consumer finished with (handled, dead-lettered, or passed as not its event). Its inbox holds the
/// ids of the envelopes it handled. A commit (<see cref="ICheckpointStore.CommitAsync"/>) writes inbox marks, at
/// most one dead letter, and the offset in one transaction, and only under the current lease: a member whose lease
/// was taken (or whose offset an operator moved) cannot commit, gets <see cref="LeaseLostException"/>, and its
/// uncommitted events go to the new owner. <see cref="HandlingBatch"/> is how a consumer uses this: it looks up the
/// inbox once per read batch, keeps completed envelopes' marks pending, and commits them with the offset. So:</para>
/// <list type="bullet">
/// <item><description><b>At least once.</b> The offset never moves past an envelope whose handling was not committed
/// (or dead-lettered).</description></item>
/// <item><description><b>A crash redelivers exactly the uncommitted envelopes</b>: those after the last committed
/// offset. Every envelope up to it has its inbox mark committed; none after it has.</description></item>
/// <item><description><b>A handler that writes to the same store never applies an envelope twice.</b> It opens the
/// store's transaction (<see cref="ICheckpointStore.BeginTransactionAsync"/>, through
/// <see cref="DurableContext.GetTransactionAsync"/>); completing its envelope then commits the handler's writes, its
/// inbox mark, the batch's pending marks and the offset together, fenced. A redelivered envelope whose mark is
/// committed is reported handled (<see cref="HandlingScope.AlreadyHandled"/>).</description></item>
/// <item><description><b>Nothing committed, nothing written.</b> A batch disposed without a commit, a scope disposed
/// without completing, a refused (fenced) commit: their envelopes are delivered again.</description></item>
/// </list>
/// <para><b>Dead letters</b> are stored by the commit that moves the offset past them, addressed by id, listed by page.</para>
/// <para><b>Retention</b> (<see cref="ApplyRetentionAsync"/>) removes the oldest envelopes of each partition (a
/// prefix, so a consumer whose offset fell behind it is detected: offset &lt; first retained - 1), in chunks, and the
/// inbox marks no retained copy of the envelope or dead letter needs.</para>
/// <para><b>Thread safety.</b> Implementations are safe for concurrent use. Herald calls
/// <see cref="IEventStream.AppendAsync"/> from one writer per process; several processes may append to one log.</para>
/// </remarks>
public interface IEventLog : IAsyncDisposable
{
    /// <summary>The transport's name: <c>InMemory</c>, <c>Sqlite</c>, <c>Postgres</c>, <c>Redis</c>.</summary>
    string Transport { get; }

    /// <summary>The events: append, and read by partition.</summary>
    IEventStream Stream { get; }

    /// <summary>Offsets, the inbox, and fenced commits.</summary>
    ICheckpointStore Checkpoints { get; }

    /// <summary>Consumer group members and partition leases.</summary>
    ILeaseStore Leases { get; }

    /// <summary>Dead letters.</summary>
    IDeadLetterStore DeadLetters { get; }

    /// <summary>
    /// Removes what <paramref name="policy"/> no longer keeps at <paramref name="now"/>, in chunks (never one huge
    /// delete); returns how many envelopes were removed.
    /// </summary>
    ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Reads the next page of the lease's partition for its owner: <see cref="IEventStream.ReadAsync"/>, with the
    /// consumer's inbox looked up for the page's envelopes and the lease checked, as one step. This is what Herald's
    /// consumers read with, once per wake-up.
    /// </summary>
    /// <remarks>
    /// The default composes the parts: the read, then (for a page with envelopes) the inbox lookup
    /// (<see cref="ICheckpointStore.FindHandledAsync"/>) and the lease check (<see cref="ILeaseStore.GetLeasesAsync"/>)
    /// at once. A store that can answer all three in one round trip (PostgreSQL: one statement; Redis: one script)
    /// implements it so; the specification tests hold every implementation to the same answers as the parts give.
    /// </remarks>
    /// <param name="lease">The reader's lease; its partition is the one read.</param>
    /// <param name="afterPosition">The position to read after.</param>
    /// <param name="maxCount">The most envelopes to return.</param>
    /// <param name="types">The types to read; null for every type.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    async ValueTask<ConsumerPage> ReadForConsumerAsync(
        LeaseToken lease, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        var page = await Stream.ReadAsync(lease.Partition, afterPosition, maxCount, types, cancellationToken).ConfigureAwait(false);
        if (page.Envelopes.Count == 0)
            return new ConsumerPage(lease, page, new HashSet<Guid>(), LeaseLost: false);
        var handled = Checkpoints.FindHandledAsync(lease.Consumer, page.Envelopes, cancellationToken).AsTask();
        var leases = Leases.GetLeasesAsync(lease.Consumer, cancellationToken).AsTask();
        await Task.WhenAll(handled, leases).ConfigureAwait(false);
        return new ConsumerPage(lease, page, await handled.ConfigureAwait(false), !ConsumerPage.IsHeld(lease, await leases.ConfigureAwait(false)));
    }
}
