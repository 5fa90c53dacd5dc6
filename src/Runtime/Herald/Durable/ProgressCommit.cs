using System.Data.Common;

namespace Herald.Durable;

/// <summary>
/// What a consumer commits for one partition in one transaction: the inbox marks of the envelopes it handled, at most
/// one dead letter, and its new offset, all under its lease (see <see cref="ICheckpointStore.CommitAsync"/>).
/// </summary>
/// <param name="Lease">The lease the work was done under; the store refuses the commit when it is no longer current.</param>
/// <param name="Offset">The new offset of the consumer in the lease's partition; never lower than the committed one is
/// what the consumer asks for, and the store writes exactly this value.</param>
/// <param name="Marks">The inbox marks to add (positions in the lease's partition).</param>
/// <param name="DeadLetter">A dead letter stored in the same transaction; null for none.</param>
/// <param name="Transaction">The handler's transaction that holds the handler's own writes, when the handler opened one
/// (<see cref="ICheckpointStore.BeginTransactionAsync"/>): the commit is written into it and commits it.</param>
public sealed record ProgressCommit(
    LeaseToken Lease,
    long Offset,
    IReadOnlyList<InboxMark> Marks,
    DeadLetter? DeadLetter = null,
    IStoreTransaction? Transaction = null);

/// <summary>
/// A transaction of the log's store that a durable handler writes through (its writes then commit with its inbox mark
/// and the consumer's offset). Disposing it without a commit rolls it back.
/// </summary>
public interface IStoreTransaction : IAsyncDisposable
{
    /// <summary>The ADO.NET transaction (for SQLite a <c>SqliteTransaction</c>, for PostgreSQL an <c>NpgsqlTransaction</c>).</summary>
    DbTransaction Transaction { get; }
}
