namespace Herald;

/// <summary>
/// A durable consumer's committed offset points before the oldest event the log still retains: events it never
/// handled were removed by retention. The consumer stops instead of silently skipping them; move its offset
/// (replay) to acknowledge the gap.
/// </summary>
public sealed class ConsumerBehindRetentionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ConsumerBehindRetentionException(string consumer, long committedOffset, long firstRetainedPosition)
        : base($"Durable consumer '{consumer}' committed position {committedOffset}, but the log's oldest retained event is at " +
               $"position {firstRetainedPosition}: events {committedOffset + 1}..{firstRetainedPosition - 1} were removed by retention " +
               "before the consumer handled them. Move the consumer's offset (replay) to accept the gap, or widen retention.")
    {
        Consumer = consumer;
        CommittedOffset = committedOffset;
        FirstRetainedPosition = firstRetainedPosition;
    }

    /// <summary>Creates the exception with a message.</summary>
    public ConsumerBehindRetentionException()
        : this("?", 0, 0)
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

    /// <summary>The consumer's committed position.</summary>
    public long CommittedOffset { get; }

    /// <summary>The oldest position the log retains.</summary>
    public long FirstRetainedPosition { get; }
}
