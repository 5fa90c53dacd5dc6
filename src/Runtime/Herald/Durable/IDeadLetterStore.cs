namespace Herald.Durable;

/// <summary>
/// The dead letters a log keeps: events a consumer gave up on, with the reason. They are added by a consumer's commit
/// (<see cref="ProgressCommit.DeadLetter"/>, so the letter and the offset move together) and addressed by id.
/// </summary>
public interface IDeadLetterStore
{
    /// <summary>One page of dead letters, ascending by id, matching <paramref name="query"/>.</summary>
    ValueTask<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    /// <summary>How many dead letters match the filters of <paramref name="query"/> (its page bounds are ignored).</summary>
    ValueTask<long> CountAsync(DeadLetterQuery query, CancellationToken cancellationToken);

    /// <summary>The dead letter with <paramref name="id"/>; null when there is none.</summary>
    ValueTask<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Removes a dead letter (after a replay or a purge); false when there was none with that id.</summary>
    ValueTask<bool> DeleteAsync(long id, CancellationToken cancellationToken);

    /// <summary>Removes every dead letter matching the filters of <paramref name="query"/>; returns how many.</summary>
    ValueTask<long> PurgeAsync(DeadLetterQuery query, CancellationToken cancellationToken);
}
