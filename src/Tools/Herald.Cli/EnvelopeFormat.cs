using System.Text;
using System.Text.Json;
using Herald.Durable;
using Spectre.Console;

namespace Herald.Cli;

/// <summary>
/// Envelopes and dead letters as herald shows them: the payload is the stored JSON, pretty-printed for people and
/// embedded as JSON for scripts; no CLR type is ever looked up (the tool has none of the app's event types).
/// </summary>
internal static class EnvelopeFormat
{
    // For people: '+' and non-ASCII letters as themselves, not \u escapes (the JSON for scripts is the stored bytes).
    private static readonly JsonWriterOptions Indented = new() { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes the envelope's fields as properties of the current JSON object (the shape in docs/cli.md).</summary>
    public static void WriteProperties(Utf8JsonWriter json, EventEnvelope envelope)
    {
        json.WriteString("id", envelope.Id);
        json.WriteString("type", envelope.Type);
        json.WriteNumber("version", envelope.Version);
        json.WriteNumber("partition", envelope.Partition);
        json.WriteNumber("position", envelope.Position);
        json.WriteString("occurredAt", Output.JsonTime(envelope.OccurredAt));
        if (envelope.PartitionKey is null)
            json.WriteNull("partitionKey");
        else
            json.WriteString("partitionKey", envelope.PartitionKey);
        json.WriteStartObject("headers");
        foreach (var header in envelope.Headers.OrderBy(h => h.Key, StringComparer.Ordinal))
            json.WriteString(header.Key, header.Value);
        json.WriteEndObject();
        json.WritePropertyName("payload");
        if (IsJson(envelope.Payload.Span))
            json.WriteRawValue(envelope.Payload.Span, skipInputValidation: true);
        else
            json.WriteStringValue(Encoding.UTF8.GetString(envelope.Payload.Span)); // stored data that is not JSON: as text
    }

    public static void WriteEnvelope(Utf8JsonWriter json, EventEnvelope envelope)
    {
        json.WriteStartObject();
        WriteProperties(json, envelope);
        json.WriteEndObject();
    }

    public static void WriteDeadLetter(Utf8JsonWriter json, DeadLetter letter)
    {
        json.WriteStartObject();
        json.WriteNumber("id", letter.Id);
        if (letter.Consumer is null)
            json.WriteNull("consumer");
        else
            json.WriteString("consumer", letter.Consumer);
        json.WriteString("reason", letter.Reason);
        json.WriteNumber("attempts", letter.Attempts);
        json.WriteString("deadLetteredAt", Output.JsonTime(letter.DeadLetteredAt));
        if (letter.Exception is null)
            json.WriteNull("exception");
        else
            json.WriteString("exception", letter.Exception);
        json.WriteStartObject("envelope");
        WriteProperties(json, letter.Envelope);
        json.WriteEndObject();
        json.WriteEndObject();
    }

    /// <summary>One line that locates and names an envelope, as markup: time, type and version, partition/position, key, id.</summary>
    public static string Heading(EventEnvelope envelope)
    {
        var key = envelope.PartitionKey is null ? string.Empty : $"  key=[yellow]{Markup.Escape(envelope.PartitionKey)}[/]";
        return $"[grey]{Output.Time(envelope.OccurredAt)}[/]  [bold cyan]{Markup.Escape(envelope.Type)}[/] v{envelope.Version}  " +
               $"[green]p{envelope.Partition}/{envelope.Position}[/]{key}  [grey]id={envelope.Id}[/]";
    }

    /// <summary>The payload pretty-printed (indented JSON), or as stored when it is not JSON.</summary>
    public static string PrettyPayload(ReadOnlyMemory<byte> payload)
    {
        if (!IsJson(payload.Span))
            return Encoding.UTF8.GetString(payload.Span);
        using var document = JsonDocument.Parse(payload);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
            document.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static bool IsJson(ReadOnlySpan<byte> payload)
    {
        var reader = new Utf8JsonReader(payload);
        try
        {
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
