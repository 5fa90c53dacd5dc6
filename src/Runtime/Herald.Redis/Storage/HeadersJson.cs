using System.Buffers;
using System.Text.Json;

namespace Herald.Redis.Storage;

/// <summary>Headers as stored in a stream entry: a flat JSON object of string values (<c>{"traceparent":"00-…"}</c>).</summary>
internal static class HeadersJson
{
    public static byte[] Write(IReadOnlyDictionary<string, string> headers)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, headers);
        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, IReadOnlyDictionary<string, string> headers)
    {
        writer.WriteStartObject();
        foreach (var (name, value) in headers)
            writer.WriteString(name, value);
        writer.WriteEndObject();
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
                    return !reader.Read();
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
