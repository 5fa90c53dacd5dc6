using System.Buffers;
using System.Text.Json;

namespace Herald.Sqlite.Storage;

/// <summary>Headers as stored: a flat JSON object of string values (<c>{"traceparent":"00-…"}</c>); none is NULL.</summary>
internal static class HeadersJson
{
    /// <summary>Writes <paramref name="headers"/> into <paramref name="buffer"/> (cleared first) with <paramref name="writer"/>.</summary>
    public static ReadOnlySpan<byte> Write(IReadOnlyDictionary<string, string> headers, ArrayBufferWriter<byte> buffer, Utf8JsonWriter writer)
    {
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        writer.WriteStartObject();
        foreach (var (name, value) in headers)
            writer.WriteString(name, value);
        writer.WriteEndObject();
        writer.Flush();
        return buffer.WrittenSpan;
    }

    /// <summary>The headers as JSON text (dead letters, which are written one at a time).</summary>
    public static string ToText(IReadOnlyDictionary<string, string> headers)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using var writer = new Utf8JsonWriter(buffer);
        return System.Text.Encoding.UTF8.GetString(Write(headers, buffer, writer));
    }

    /// <summary>Reads a stored headers object; false when it is not a JSON object of strings.</summary>
    public static bool TryRead(ReadOnlySpan<byte> json, out Dictionary<string, string> headers)
    {
        headers = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var reader = new Utf8JsonReader(json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
                return false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.EndObject)
                    return !reader.Read(); // nothing may follow the object
                if (reader.TokenType != JsonTokenType.PropertyName)
                    return false;
                var name = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                    return false;
                headers[name] = reader.GetString()!;
            }
            return false;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
