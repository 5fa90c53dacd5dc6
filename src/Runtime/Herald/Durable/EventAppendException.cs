namespace Herald;

/// <summary>
/// A durable event could not be appended to the log after the retries; it was written to the dead-letter file
/// (<see cref="DeadLetterFile"/>) instead. Thrown to <see cref="Durability.Persisted"/> publishers.
/// </summary>
public sealed class EventAppendException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventAppendException(EventEnvelope envelope, string deadLetterFile, Exception innerException)
        : base($"Event {envelope.Id} ('{envelope.Type}') could not be appended to the log: {innerException.Message}. " +
               $"It was written to the dead-letter file {deadLetterFile}.", innerException)
    {
        Envelope = envelope;
        DeadLetterFile = deadLetterFile;
    }

    /// <summary>Creates the exception.</summary>
    public EventAppendException()
        : base("An event could not be appended to the log.")
    {
        DeadLetterFile = string.Empty;
    }

    /// <summary>Creates the exception with a message.</summary>
    public EventAppendException(string message)
        : base(message)
    {
        DeadLetterFile = string.Empty;
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public EventAppendException(string message, Exception innerException)
        : base(message, innerException)
    {
        DeadLetterFile = string.Empty;
    }

    /// <summary>The event.</summary>
    public EventEnvelope? Envelope { get; }

    /// <summary>Where the event was written instead.</summary>
    public string DeadLetterFile { get; }
}
