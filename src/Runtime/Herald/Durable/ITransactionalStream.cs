using System.Data.Common;

namespace Herald.Durable;

/// <summary>
/// Implemented by the stream of a log whose store has transactions (SQLite, PostgreSQL): it can append in the app's
/// own transaction, for the transactional outbox (<c>bus.Enlist(transaction)</c>). The envelopes are written in that
/// transaction and are visible to consumers if and only if it commits. A log whose stream does not implement it
/// (in-memory, Redis) refuses <c>Enlist</c>.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "The log's stream of events (IEventStream) with transactions; not a System.IO.Stream.")]
public interface ITransactionalStream : IEventStream
{
    /// <summary>
    /// Checks that <paramref name="transaction"/> is an open transaction on this log's database (not another database,
    /// not another kind of connection); the exception says what is wrong and what to do.
    /// </summary>
    /// <exception cref="ArgumentException">The transaction cannot carry this log's appends.</exception>
    void CheckTransaction(DbTransaction transaction);

    /// <summary>
    /// Appends <paramref name="batch"/> inside <paramref name="transaction"/> (which the caller commits or rolls back),
    /// each envelope to its partition at the partition's next positions.
    /// </summary>
    ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, DbTransaction transaction, CancellationToken cancellationToken);
}
