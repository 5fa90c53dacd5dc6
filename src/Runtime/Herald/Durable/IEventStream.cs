namespace Herald.Durable;

/// <summary>
/// The events of a log: append, and read one partition in order. Part of the <see cref="IEventLog"/> contract, whose
/// remarks give the semantics.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix",
    Justification = "The log's stream of events, as in 'event stream' and Redis Streams; not a System.IO.Stream.")]
public interface IEventStream
{
    /// <summary>The log's partition count, fixed when the log was created.</summary>
    int Partitions { get; }

    /// <summary>
    /// Appends a batch atomically (every envelope or none) and returns where each envelope went, in batch order. Each
    /// envelope goes to <see cref="Partitioning.PartitionOf(EventEnvelope, int)"/>; the position and partition it
    /// carries in are ignored.
    /// </summary>
    ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken);

    /// <summary>
    /// Reads committed envelopes of <paramref name="partition"/> after <paramref name="afterPosition"/>, ascending, at
    /// most <paramref name="maxCount"/>; only those whose <see cref="EventEnvelope.Type"/> is in
    /// <paramref name="types"/> when it is given. The page says how far the partition was looked at
    /// (<see cref="EventPage.ScannedTo"/>).
    /// </summary>
    ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken);

    /// <summary>The retained range of every partition, in partition order, read at one moment.</summary>
    ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The position in <paramref name="partition"/> just before its first retained envelope that occurred at or after
    /// <paramref name="time"/> (the partition's last position when there is none): an offset set to it replays from
    /// that time.
    /// </summary>
    ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken);
}
