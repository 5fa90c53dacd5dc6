using System.Text.Json;

namespace Herald.Durable;

/// <summary>
/// The file of envelopes that could not be appended (<c>dead-letters.jsonl</c>): one JSON object per line with the
/// envelope, the payload as JSON, the reason and the exception. Appended and flushed per batch.
/// </summary>
internal sealed class DeadLetterFile(string path)
{
    private readonly Lock _gate = new();

    public string Path { get; } = System.IO.Path.GetFullPath(path);

    public void Write(IReadOnlyList<EventEnvelope> envelopes, string reason, Exception? exception, int attempts)
    {
        var directory = System.IO.Path.GetDirectoryName(Path);
        if (!string.IsNullOrEmpty(directory))
            Directory.CreateDirectory(directory);
        lock (_gate)
        {
            using var stream = new FileStream(Path, FileMode.Append, FileAccess.Write, FileShare.Read);
            foreach (var envelope in envelopes)
            {
                using (var writer = new Utf8JsonWriter(stream))
                    WriteLine(writer, envelope, reason, exception, attempts);
                stream.WriteByte((byte)'\n');
            }
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Reads the file back (tests, tooling): the envelope and reason of each line.</summary>
    public static IReadOnlyList<(EventEnvelope Envelope, string Reason)> Read(string path)
    {
        var result = new List<(EventEnvelope, string)>();
        foreach (var line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            var headers = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var header in root.GetProperty("headers").EnumerateObject())
                headers[header.Name] = header.Value.GetString() ?? string.Empty;
            var envelope = new EventEnvelope(
                root.GetProperty("id").GetGuid(),
                root.GetProperty("type").GetString()!,
                root.GetProperty("version").GetInt32(),
                root.GetProperty("occurredAt").GetDateTimeOffset(),
                root.GetProperty("partitionKey").GetString(),
                headers,
                System.Text.Encoding.UTF8.GetBytes(root.GetProperty("payload").GetRawText()));
            result.Add((envelope, root.GetProperty("reason").GetString()!));
        }
        return result;
    }

    private static void WriteLine(Utf8JsonWriter writer, EventEnvelope envelope, string reason, Exception? exception, int attempts)
    {
        writer.WriteStartObject();
        writer.WriteString("id", envelope.Id);
        writer.WriteString("type", envelope.Type);
        writer.WriteNumber("version", envelope.Version);
        writer.WriteString("occurredAt", envelope.OccurredAt);
        if (envelope.PartitionKey is null)
            writer.WriteNull("partitionKey");
        else
            writer.WriteString("partitionKey", envelope.PartitionKey);
        writer.WriteStartObject("headers");
        foreach (var (name, value) in envelope.Headers)
            writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.WritePropertyName("payload");
        try
        {
            writer.WriteRawValue(envelope.Payload.Span, skipInputValidation: false);
        }
        catch (JsonException)
        {
            writer.WriteBase64StringValue(envelope.Payload.Span); // not JSON: keep the bytes anyway
        }
        writer.WriteString("reason", reason);
        if (exception is null)
            writer.WriteNull("exception");
        else
            writer.WriteString("exception", exception.ToString());
        writer.WriteNumber("attempts", attempts);
        writer.WriteString("deadLetteredAt", DateTimeOffset.UtcNow);
        writer.WriteEndObject();
    }
}
