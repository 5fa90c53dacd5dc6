namespace Herald;

/// <summary>
/// A durable consumer's committed offset in a partition points before the oldest event the partition still retains:
/// events it never handled may have been removed by retention. The consumer stops handling that partition instead of
/// silently skipping them; move its offset (replay) to acknowledge the gap.
/// </summary>
public sealed class ConsumerBehindRetentionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsumerBehindRetentionException(string consumer, int partition, long committedOffset, long firstRetainedPosition)
        : base($"Durable consumer '{consumer}' committed position {committedOffset} in partition {partition}, but the partition's " +
               $"oldest retained event is at position {firstRetainedPosition}: events {committedOffset + 1}..{firstRetainedPosition - 1} " +
               "were removed by retention before the consumer passed them. Move the consumer's offset (replay, for example " +
               $"'herald offsets set {consumer} --earliest --partition {partition}') to accept the gap, or widen retention.")
    {
        Consumer = consumer;
        Partition = partition;
        CommittedOffset = committedOffset;
        FirstRetainedPosition = firstRetainedPosition;
    }

    /// <summary>Creates the exception.</summary>
    public ConsumerBehindRetentionException()
        : this("A durable consumer is behind the log's retention.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConsumerBehindRetentionException(string message)
        : base(message)
    {
        Consumer = "?";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public ConsumerBehindRetentionException(string message, Exception innerException)
        : base(message, innerException)
    {
        Consumer = "?";
    }

    /// <summary>The consumer.</summary>
    public string Consumer { get; }

    /// <summary>The partition.</summary>
    public int Partition { get; }

    /// <summary>The consumer's committed position in the partition.</summary>
    public long CommittedOffset { get; }

    /// <summary>The oldest position the partition retains.</summary>
    public long FirstRetainedPosition { get; }
}
