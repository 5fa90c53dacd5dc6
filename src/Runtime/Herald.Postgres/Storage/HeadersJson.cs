using System.Buffers;
using System.Text.Json;

namespace Herald.Postgres.Storage;

/// <summary>Headers as stored: a flat JSON object of string values in a <c>jsonb</c> column; none is NULL.</summary>
internal static class HeadersJson
{
    /// <summary>The headers as JSON text; null when there are none.</summary>
    public static string? ToText(IReadOnlyDictionary<string, string> headers)
    {
        if (headers.Count == 0)
            return null;
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, value) in headers)
                writer.WriteString(name, value);
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Reads a stored headers object; false when it is not a JSON object of strings.</summary>
    public static bool TryRead(string json, out Dictionary<string, string> headers)
    {
        headers = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                return false;
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                    return false;
                headers[property.Name] = property.Value.GetString()!;
            }
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
