namespace Herald.Durable;

/// <summary>Where an envelope is in a log: its partition, and its position within that partition.</summary>
/// <param name="Partition">The partition, 0 to the log's partition count - 1.</param>
/// <param name="Position">The position within the partition: 1 for its first event, increasing by one per event.</param>
public readonly record struct LogPosition(int Partition, long Position)
{
    /// <summary>Formats as <c>partition/position</c>, for example <c>3/1042</c>.</summary>
    public override string ToString() => $"{Partition}/{Position}";
}

/// <summary>The retained range of one partition of a log.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="First">The first retained position; <paramref name="Last"/> + 1 when nothing is retained.</param>
/// <param name="Last">The last position given in the partition; 0 when nothing was ever appended to it.</param>
public readonly record struct PartitionBounds(int Partition, long First, long Last)
{
    /// <summary>How many positions the partition retains (events, and gaps left by events never committed).</summary>
    public long Retained => Last - First + 1;
}

/// <summary>What one read of a partition returned.</summary>
/// <param name="Envelopes">The envelopes, ascending by position.</param>
/// <param name="Bounds">The partition's retained range at the moment of the read (the same snapshot as the envelopes):
/// a reader whose starting position is below <see cref="PartitionBounds.First"/> - 1 is behind retention.</param>
/// <param name="ScannedTo">
/// The position up to which the partition was looked at: every retained envelope of the asked types with a position
/// after the read's starting point and at most this one is in <paramref name="Envelopes"/>. It is the last
/// envelope's position when the page is full, and the partition's last position at the time of the read otherwise,
/// so a consumer can move its offset past the events of other types it never reads.
/// </param>
public sealed record EventPage(IReadOnlyList<EventEnvelope> Envelopes, PartitionBounds Bounds, long ScannedTo);
