namespace Herald.Durable;

/// <summary>
/// An optional part of the <see cref="IEventLog"/> contract: what <see cref="IEventLog.ApplyRetentionAsync"/> would
/// remove, computed the same way but removing nothing, so an operator can see it first (<c>herald retention apply
/// --dry-run</c>) and which consumers it would leave behind. A log that does not implement it can still apply
/// retention; tools then say that a preview is not available.
/// </summary>
public interface IRetentionPreview
{
    /// <summary>
    /// Per partition, in partition order, what <see cref="IEventLog.ApplyRetentionAsync"/> with the same
    /// <paramref name="policy"/> and <paramref name="now"/> would remove if it ran at this moment.
    /// </summary>
    ValueTask<IReadOnlyList<RetentionCut>> PreviewRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>What retention removes from one partition: a prefix of it.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="RemovesThrough">The last position removed (every retained event up to it goes); 0 when nothing is.</param>
/// <param name="Count">How many events are removed.</param>
public readonly record struct RetentionCut(int Partition, long RemovesThrough, long Count);
