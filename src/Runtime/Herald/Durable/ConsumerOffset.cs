namespace Herald.Durable;

/// <summary>The committed offset of one consumer in one partition.</summary>
/// <param name="Consumer">The consumer.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Position">The position of the last event it finished with (handled, dead-lettered, or passed because it is
/// not its event); its next event is after it.</param>
/// <param name="UpdatedAt">When it was committed.</param>
public sealed record ConsumerOffset(string Consumer, int Partition, long Position, DateTimeOffset UpdatedAt);

/// <summary>An inbox mark: <paramref name="EventId"/> was handled by the consumer at <paramref name="Position"/>.</summary>
/// <param name="EventId">The envelope's id.</param>
/// <param name="Position">The position it was handled at (within the commit's partition).</param>
public readonly record struct InboxMark(Guid EventId, long Position);
