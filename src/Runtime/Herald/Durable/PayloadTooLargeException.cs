namespace Herald;

/// <summary>A durable event's serialized payload is over the size limit; nothing was written and no handler ran.</summary>
public sealed class PayloadTooLargeException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PayloadTooLargeException(string eventName, long payloadBytes, long limitBytes)
        : base($"The payload of '{eventName}' is {payloadBytes:N0} bytes, over the limit of {limitBytes:N0} bytes " +
               $"(HeraldOptions.MaxPayloadBytes). Nothing was written. Put large content (files, blobs) in storage and " +
               "pass a URL or an ID in the event, or raise the limit.")
    {
        EventName = eventName;
        PayloadBytes = payloadBytes;
        LimitBytes = limitBytes;
    }

    /// <summary>Creates the exception.</summary>
    public PayloadTooLargeException()
        : this("?", 0, 0)
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public PayloadTooLargeException(string message)
        : base(message)
    {
        EventName = "?";
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public PayloadTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
        EventName = "?";
    }

    /// <summary>The event's wire name.</summary>
    public string EventName { get; }

    /// <summary>The payload's size.</summary>
    public long PayloadBytes { get; }

    /// <summary>The limit.</summary>
    public long LimitBytes { get; }
}
