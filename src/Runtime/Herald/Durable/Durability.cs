namespace Herald;

/// <summary>When a publish of a durable event returns.</summary>
public enum Durability
{
    /// <summary>
    /// Once the batch that holds the event is committed to the log. A crash after that loses nothing. The default
    /// for durable events.
    /// </summary>
    Persisted = 0,

    /// <summary>
    /// Once the event is queued for the log writer. Faster; a crash before the writer commits loses the queue.
    /// </summary>
    Buffered = 1,
}
