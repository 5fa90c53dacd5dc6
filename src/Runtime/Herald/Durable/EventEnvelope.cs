namespace Herald;

/// <summary>
/// A durable event as the log stores it: identity, wire name and version, time, partition key, headers and the UTF-8
/// JSON payload. Immutable: the envelope a publisher hands to the log writer is the one that is stored.
/// </summary>
public sealed class EventEnvelope
{
    /// <summary>
    /// The <see cref="Type"/> a log gives an envelope read from stored data it cannot decode (a corrupt row); the
    /// <see cref="CorruptReasonHeader"/> header says what is wrong. Consumers dead-letter it with that reason.
    /// </summary>
    public const string CorruptType = "herald.corrupt-row";

    /// <summary>The header of a <see cref="CorruptType"/> envelope that says what could not be read.</summary>
    public const string CorruptReasonHeader = "herald-corrupt-row";

    private static readonly IReadOnlyDictionary<string, string> NoHeaders = new Dictionary<string, string>(0);

    /// <summary>Creates an envelope.</summary>
    /// <param name="id">The event's unique id (UUIDv7: time-ordered).</param>
    /// <param name="type">The event's wire name, from <see cref="EventAttribute"/>.</param>
    /// <param name="version">The payload's schema version, from <see cref="EventAttribute.Version"/>.</param>
    /// <param name="occurredAt">When the event occurred; stored in UTC.</param>
    /// <param name="partitionKey">Events with the same key are delivered in order; null: no key.</param>
    /// <param name="headers">Correlation, causation, <c>traceparent</c> and other headers; null: none.</param>
    /// <param name="payload">The event serialized as UTF-8 JSON.</param>
    /// <param name="position">The position within its partition; 0 before the event is appended.</param>
    /// <param name="partition">The partition of the log it was appended to; 0 before the event is appended.</param>
    public EventEnvelope(
        Guid id,
        string type,
        int version,
        DateTimeOffset occurredAt,
        string? partitionKey,
        IReadOnlyDictionary<string, string>? headers,
        ReadOnlyMemory<byte> payload,
        long position = 0,
        int partition = 0)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(type);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfNegative(partition);
        if (id == Guid.Empty)
            throw new ArgumentException("An event id cannot be Guid.Empty.", nameof(id));
        Id = id;
        Type = type;
        Version = version;
        OccurredAt = occurredAt.ToUniversalTime();
        PartitionKey = partitionKey;
        Headers = headers ?? NoHeaders;
        Payload = payload;
        Position = position;
        Partition = partition;
    }

    /// <summary>The event's unique id (UUIDv7).</summary>
    public Guid Id { get; }

    /// <summary>The event's wire name.</summary>
    public string Type { get; }

    /// <summary>The payload's schema version.</summary>
    public int Version { get; }

    /// <summary>When the event occurred, in UTC.</summary>
    public DateTimeOffset OccurredAt { get; }

    /// <summary>Events with the same key are delivered in order; null when the event has none.</summary>
    public string? PartitionKey { get; }

    /// <summary>Headers: correlation, causation, <c>traceparent</c>, and any the publisher added.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The event, serialized as UTF-8 JSON.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The position within <see cref="Partition"/> (positive once appended; 0 before).</summary>
    public long Position { get; }

    /// <summary>
    /// The log partition it was appended to (<see cref="Durable.Partitioning.PartitionOf(EventEnvelope, int)"/>); 0
    /// before it is appended.
    /// </summary>
    public int Partition { get; }

    /// <summary>Where the envelope is in the log.</summary>
    public Durable.LogPosition LogPosition => new(Partition, Position);

    /// <summary>The same envelope at <paramref name="position"/>: what the log returns after an append.</summary>
    public EventEnvelope WithPosition(Durable.LogPosition position)
        => new(Id, Type, Version, OccurredAt, PartitionKey, Headers, Payload, position.Position, position.Partition);

    /// <summary>The same envelope before it was appended (no partition, no position): what a replay appends again.</summary>
    public EventEnvelope Unpositioned()
        => Position == 0 && Partition == 0 ? this : new(Id, Type, Version, OccurredAt, PartitionKey, Headers, Payload);
}
