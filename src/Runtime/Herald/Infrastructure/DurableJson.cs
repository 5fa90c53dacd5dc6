using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Herald.Infrastructure;

/// <summary>
/// The part of durable events' JSON that is the same in every assembly: failures with their member path, token
/// checks, and the reading and writing of the primitive types (the generated code of each assembly writes only its
/// own objects, enums and collections and calls these through <c>using static</c>). The rules are those of the
/// generator's DurableEmitter: camelCase names, nulls written, numbers and names for enums, the strings
/// <c>NaN</c>, <c>Infinity</c> and <c>-Infinity</c> for non-finite floating-point values, invariant formats. Every
/// failure is a <see cref="JsonException"/> whose path names the member (<c>$.lines[2].sku</c>). Infrastructure for
/// generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class DurableJson
{
    /// <summary>The nesting limit of <see cref="Utf8JsonReader"/>'s default options, which the runtime reads with.</summary>
    public const int MaxDepth = 64;

    /// <summary>
    /// What reading a payload can fail with besides a <see cref="JsonException"/>: the reader's GetString on invalid
    /// UTF-16 (<see cref="InvalidOperationException"/>), a constructor or setter that rejects a value
    /// (<see cref="ArgumentException"/> and others).
    /// </summary>
    public static bool IsPayloadError(Exception exception)
        => exception is JsonException or InvalidOperationException or ArgumentException or FormatException or OverflowException;

    /// <summary>The failure of reading the payload of <paramref name="eventName"/>, with the path of the member.</summary>
    public static JsonException ReadFailed(string eventName, Exception inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        var failure = At(inner, string.Empty);
        var path = "$" + failure.Path;
        return new JsonException("Cannot read the payload of '" + eventName + "' at " + path + ": " + failure.Message, path, failure.LineNumber, failure.BytePositionInLine, failure.InnerException ?? failure);
    }

    /// <summary>The failure of writing the payload of <paramref name="eventName"/>.</summary>
    public static JsonException WriteFailed(string eventName, JsonException inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return new JsonException("Cannot write the payload of '" + eventName + "': " + inner.Message, inner);
    }

    /// <summary>The same failure, one level further out: <paramref name="segment"/> is prepended to its path.</summary>
    public static JsonException At(Exception inner, string segment)
    {
        ArgumentNullException.ThrowIfNull(inner);
        return inner is JsonException json
            ? new JsonException(json.Message, segment + json.Path, json.LineNumber, json.BytePositionInLine, json.InnerException ?? json)
            : new JsonException(inner.Message, segment, null, null, inner);
    }

    /// <summary>A token of the wrong kind.</summary>
    public static JsonException Unexpected(ref Utf8JsonReader reader, string expected)
        => new("expected " + expected + " but found " + Describe(reader.TokenType));

    /// <summary>A token of the right kind whose value is not what it must be.</summary>
    public static JsonException Invalid(ref Utf8JsonReader reader, string expected)
        => new(Raw(ref reader) + " is not " + expected);

    /// <summary>Reads the next token; a payload that ends first is a failure.</summary>
    public static JsonTokenType Next(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
            throw new JsonException("the payload ends early");
        return reader.TokenType;
    }

    /// <summary>Refuses to write deeper than <see cref="MaxDepth"/>: the reader could not read it back (an event that holds a cycle).</summary>
    public static void Enter(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (writer.CurrentDepth >= MaxDepth)
            throw new JsonException("the payload nests deeper than " + MaxDepth + " levels (does the event hold a reference cycle?)");
    }

    /// <summary>The index of the current property name in <paramref name="names"/>, ignoring case; -1 when it is none of them.</summary>
    public static int IndexIgnoringCase(ref Utf8JsonReader reader, string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var name = reader.GetString();
        for (var i = 0; i < names.Length; i++)
        {
            if (string.Equals(name, names[i], StringComparison.OrdinalIgnoreCase))
                return i;
        }
        return -1;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.PropertyName => "a property name",
        JsonTokenType.EndObject => "the end of an object",
        JsonTokenType.EndArray => "the end of an array",
        _ => "another token",
    };

    private static string Raw(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return "\"" + reader.GetString() + "\"";
        var bytes = reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan.ToArray();
        return Encoding.UTF8.GetString(bytes);
    }

    // ---- primitives: one Write and one Read per kind, named after it ------------------------------------------------

#pragma warning disable CS1591 // One pair per primitive type; the class summary says what they do.
    public static void WriteString(Utf8JsonWriter writer, string? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value);
    }

    public static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        throw Unexpected(ref reader, "a string");
    }

    public static void WriteBoolean(Utf8JsonWriter writer, bool value) => NotNull(writer).WriteBooleanValue(value);

    public static bool ReadBoolean(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.True)
            return true;
        if (reader.TokenType == JsonTokenType.False)
            return false;
        throw Unexpected(ref reader, "true or false");
    }

    public static void WriteByte(Utf8JsonWriter writer, byte value) => NotNull(writer).WriteNumberValue((int)value);

    public static byte ReadByte(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetByte(out var value) ? value : throw Invalid(ref reader, "a Byte");

    public static void WriteSByte(Utf8JsonWriter writer, sbyte value) => NotNull(writer).WriteNumberValue((int)value);

    public static sbyte ReadSByte(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetSByte(out var value) ? value : throw Invalid(ref reader, "a SByte");

    public static void WriteInt16(Utf8JsonWriter writer, short value) => NotNull(writer).WriteNumberValue((int)value);

    public static short ReadInt16(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetInt16(out var value) ? value : throw Invalid(ref reader, "an Int16");

    public static void WriteUInt16(Utf8JsonWriter writer, ushort value) => NotNull(writer).WriteNumberValue((int)value);

    public static ushort ReadUInt16(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetUInt16(out var value) ? value : throw Invalid(ref reader, "a UInt16");

    public static void WriteInt32(Utf8JsonWriter writer, int value) => NotNull(writer).WriteNumberValue(value);

    public static int ReadInt32(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetInt32(out var value) ? value : throw Invalid(ref reader, "an Int32");

    public static void WriteUInt32(Utf8JsonWriter writer, uint value) => NotNull(writer).WriteNumberValue(value);

    public static uint ReadUInt32(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetUInt32(out var value) ? value : throw Invalid(ref reader, "a UInt32");

    public static void WriteInt64(Utf8JsonWriter writer, long value) => NotNull(writer).WriteNumberValue(value);

    public static long ReadInt64(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetInt64(out var value) ? value : throw Invalid(ref reader, "an Int64");

    public static void WriteUInt64(Utf8JsonWriter writer, ulong value) => NotNull(writer).WriteNumberValue(value);

    public static ulong ReadUInt64(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetUInt64(out var value) ? value : throw Invalid(ref reader, "a UInt64");

    public static void WriteDecimal(Utf8JsonWriter writer, decimal value) => NotNull(writer).WriteNumberValue(value);

    public static decimal ReadDecimal(ref Utf8JsonReader reader) => ExpectNumber(ref reader).TryGetDecimal(out var value) ? value : throw Invalid(ref reader, "a Decimal");

    public static void WriteSingle(Utf8JsonWriter writer, float value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (float.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(float.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
    }

    public static float ReadSingle(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetSingle(out var value) ? value : throw Invalid(ref reader, "a Single");
        return NonFinite(ref reader, "a Single") switch
        {
            0 => float.NaN,
            1 => float.PositiveInfinity,
            _ => float.NegativeInfinity,
        };
    }

    public static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (double.IsFinite(value))
            writer.WriteNumberValue(value);
        else
            writer.WriteStringValue(double.IsNaN(value) ? "NaN"u8 : value > 0 ? "Infinity"u8 : "-Infinity"u8);
    }

    public static double ReadDouble(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
            return reader.TryGetDouble(out var value) ? value : throw Invalid(ref reader, "a Double");
        return NonFinite(ref reader, "a Double") switch
        {
            0 => double.NaN,
            1 => double.PositiveInfinity,
            _ => double.NegativeInfinity,
        };
    }

    public static void WriteChar(Utf8JsonWriter writer, char value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[1];
        text[0] = value;
        writer.WriteStringValue(text);
    }

    public static char ReadChar(ref Utf8JsonReader reader)
    {
        var text = ExpectString(ref reader).GetString()!;
        return text.Length == 1 ? text[0] : throw Invalid(ref reader, "a single character");
    }

    public static void WriteGuid(Utf8JsonWriter writer, Guid value) => NotNull(writer).WriteStringValue(value);

    public static Guid ReadGuid(ref Utf8JsonReader reader) => ExpectString(ref reader).TryGetGuid(out var value) ? value : throw Invalid(ref reader, "a Guid");

    public static void WriteDateTimeOffset(Utf8JsonWriter writer, DateTimeOffset value) => NotNull(writer).WriteStringValue(value);

    public static DateTimeOffset ReadDateTimeOffset(ref Utf8JsonReader reader)
        => ExpectString(ref reader).TryGetDateTimeOffset(out var value) ? value : throw Invalid(ref reader, "a DateTimeOffset");

    public static void WriteDateTime(Utf8JsonWriter writer, DateTime value) => NotNull(writer).WriteStringValue(value);

    public static DateTime ReadDateTime(ref Utf8JsonReader reader) => ExpectString(ref reader).TryGetDateTime(out var value) ? value : throw Invalid(ref reader, "a DateTime");

    // "c": [-][d.]hh:mm:ss[.fffffff]; "O": yyyy-MM-dd and HH:mm:ss.fffffff. All culture-invariant.
    public static void WriteTimeSpan(Utf8JsonWriter writer, TimeSpan value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "c", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    public static TimeSpan ReadTimeSpan(ref Utf8JsonReader reader)
        => TimeSpan.TryParseExact(ExpectString(ref reader).GetString(), "c", CultureInfo.InvariantCulture, out var value)
            ? value
            : throw Invalid(ref reader, "a TimeSpan");

    public static void WriteDateOnly(Utf8JsonWriter writer, DateOnly value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    public static DateOnly ReadDateOnly(ref Utf8JsonReader reader)
        => DateOnly.TryParseExact(ExpectString(ref reader).GetString(), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw Invalid(ref reader, "a DateOnly");

    public static void WriteTimeOnly(Utf8JsonWriter writer, TimeOnly value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        Span<char> text = stackalloc char[32];
        value.TryFormat(text, out var length, "O", CultureInfo.InvariantCulture);
        writer.WriteStringValue(text[..length]);
    }

    public static TimeOnly ReadTimeOnly(ref Utf8JsonReader reader)
        => TimeOnly.TryParseExact(ExpectString(ref reader).GetString(), "O", CultureInfo.InvariantCulture, DateTimeStyles.None, out var value)
            ? value
            : throw Invalid(ref reader, "a TimeOnly");

    public static void WriteUri(Utf8JsonWriter writer, Uri? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value.OriginalString);
    }

    public static Uri? ReadUri(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        return Uri.TryCreate(ExpectString(ref reader).GetString(), UriKind.RelativeOrAbsolute, out var value) ? value : throw Invalid(ref reader, "a URI");
    }

    public static void WriteBytes(Utf8JsonWriter writer, byte[]? value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteBase64StringValue(value);
    }

    public static byte[]? ReadBytes(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw Unexpected(ref reader, "a base64 string");
        return reader.TryGetBytesFromBase64(out var value) ? value : throw Invalid(ref reader, "base64");
    }
#pragma warning restore CS1591

    private static Utf8JsonWriter NotNull(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer;
    }

    /// <summary>The reader, after checking it is on a number (so that the value's parse follows).</summary>
    private static ref Utf8JsonReader ExpectNumber(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.Number)
            throw Unexpected(ref reader, "a number");
        return ref reader;
    }

    private static ref Utf8JsonReader ExpectString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Unexpected(ref reader, "a string");
        return ref reader;
    }

    /// <summary>0 for <c>NaN</c>, 1 for <c>Infinity</c>, 2 for <c>-Infinity</c>; a failure for anything else.</summary>
    private static int NonFinite(ref Utf8JsonReader reader, string expected)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw Unexpected(ref reader, "a number");
        if (reader.ValueTextEquals("NaN"u8))
            return 0;
        if (reader.ValueTextEquals("Infinity"u8))
            return 1;
        if (reader.ValueTextEquals("-Infinity"u8))
            return 2;
        throw Invalid(ref reader, expected);
    }
}
