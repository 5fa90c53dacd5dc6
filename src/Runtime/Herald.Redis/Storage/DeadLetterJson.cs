using System.Buffers;
using System.Text.Json;

namespace Herald.Redis.Storage;

/// <summary>
/// A dead letter as stored in the log's dead-letter hash: one JSON object (readable with <c>HGET</c>), the payload in
/// base64 since it may not be JSON (a corrupt entry's). Its id is the hash field, not part of the object.
/// </summary>
internal static class DeadLetterJson
{
    public static byte[] Write(DeadLetter letter)
    {
        var envelope = letter.Envelope;
        var buffer = new ArrayBufferWriter<byte>(512 + envelope.Payload.Length * 4 / 3);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            if (letter.Consumer is null)
                writer.WriteNull("consumer");
            else
                writer.WriteString("consumer", letter.Consumer);
            writer.WriteNumber("partition", envelope.Partition);
            writer.WriteNumber("position", envelope.Position);
            writer.WriteString("id", envelope.Id);
            writer.WriteString("type", envelope.Type);
            writer.WriteNumber("version", envelope.Version);
            writer.WriteNumber("occurredAt", LogEntry.ToStored(envelope.OccurredAt));
            if (envelope.PartitionKey is null)
                writer.WriteNull("partitionKey");
            else
                writer.WriteString("partitionKey", envelope.PartitionKey);
            writer.WritePropertyName("headers");
            HeadersJson.Write(writer, envelope.Headers);
            writer.WriteBase64String("payload", envelope.Payload.Span);
            writer.WriteString("reason", letter.Reason);
            if (letter.Exception is null)
                writer.WriteNull("exception");
            else
                writer.WriteString("exception", letter.Exception);
            writer.WriteNumber("attempts", letter.Attempts);
            writer.WriteNumber("deadLetteredAt", LogEntry.ToStored(letter.DeadLetteredAt));
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Reads a stored letter; an unreadable one comes back as a letter of a corrupt envelope that says why.</summary>
    public static DeadLetter Read(long id, byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var header in root.GetProperty("headers").EnumerateObject())
                headers[header.Name] = header.Value.GetString() ?? string.Empty;
            var envelope = new EventEnvelope(
                root.GetProperty("id").GetGuid(),
                root.GetProperty("type").GetString()!,
                root.GetProperty("version").GetInt32(),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("occurredAt").GetInt64()),
                root.GetProperty("partitionKey").GetString(),
                headers,
                root.GetProperty("payload").GetBytesFromBase64(),
                root.GetProperty("position").GetInt64(),
                root.GetProperty("partition").GetInt32());
            return new DeadLetter(
                id,
                root.GetProperty("consumer").GetString(),
                envelope,
                root.GetProperty("reason").GetString() ?? string.Empty,
                root.GetProperty("exception").GetString(),
                root.GetProperty("attempts").GetInt32(),
                DateTimeOffset.FromUnixTimeMilliseconds(root.GetProperty("deadLetteredAt").GetInt64()));
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or ArgumentException)
        {
            var reason = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [EventEnvelope.CorruptReasonHeader] = $"the stored dead letter cannot be read: {exception.Message}",
            };
            var envelope = new EventEnvelope(Guid.CreateVersion7(), EventEnvelope.CorruptType, 0, DateTimeOffset.UnixEpoch, null, reason, json);
            return new DeadLetter(id, null, envelope, "the stored dead letter cannot be read", exception.Message, 0, DateTimeOffset.UnixEpoch);
        }
    }
}
