namespace Herald;

/// <summary>Where a durable consumer with no committed offset starts reading.</summary>
public enum StartPosition
{
    /// <summary>At the oldest retained event: the consumer sees everything the log still holds. The default.</summary>
    Earliest = 0,

    /// <summary>After the newest event at the time it first starts: it sees only what is published from then on.</summary>
    Latest = 1,
}
