using System.Buffers;
using System.Text;
using System.Text.Json;
using Herald.Infrastructure;

namespace Herald.Tests.Infrastructure;

/// <summary>
/// The JSON helpers every assembly's generated payload code shares, tested here once: each primitive reads back
/// what it writes, and a bad value fails with a JsonException that says what was expected and where.
/// </summary>
public sealed class DurableJsonTests
{
    [Fact]
    public void Primitives_ReadBackWhatTheyWrite()
    {
        var at = new DateTimeOffset(2026, 12, 1, 9, 30, 15, TimeSpan.FromHours(1));
        var guid = Guid.Parse("0192f8a4-5b6c-7d8e-9f00-112233445566");

        Assert.Equal("Oslo", RoundTrip(DurableJson.WriteString, "Oslo", DurableJson.ReadString));
        Assert.Null(RoundTrip(DurableJson.WriteString, null, DurableJson.ReadString));
        Assert.True(RoundTrip(DurableJson.WriteBoolean, true, DurableJson.ReadBoolean));
        Assert.Equal((byte)200, RoundTrip(DurableJson.WriteByte, (byte)200, DurableJson.ReadByte));
        Assert.Equal((short)-7, RoundTrip(DurableJson.WriteInt16, (short)-7, DurableJson.ReadInt16));
        Assert.Equal(int.MinValue, RoundTrip(DurableJson.WriteInt32, int.MinValue, DurableJson.ReadInt32));
        Assert.Equal(ulong.MaxValue, RoundTrip(DurableJson.WriteUInt64, ulong.MaxValue, DurableJson.ReadUInt64));
        Assert.Equal(12.50m, RoundTrip(DurableJson.WriteDecimal, 12.50m, DurableJson.ReadDecimal));
        Assert.Equal(double.NegativeInfinity, RoundTrip(DurableJson.WriteDouble, double.NegativeInfinity, DurableJson.ReadDouble));
        Assert.True(float.IsNaN(RoundTrip(DurableJson.WriteSingle, float.NaN, DurableJson.ReadSingle)));
        Assert.Equal('é', RoundTrip(DurableJson.WriteChar, 'é', DurableJson.ReadChar));
        Assert.Equal(guid, RoundTrip(DurableJson.WriteGuid, guid, DurableJson.ReadGuid));
        Assert.Equal(at, RoundTrip(DurableJson.WriteDateTimeOffset, at, DurableJson.ReadDateTimeOffset));
        Assert.Equal(TimeSpan.FromMinutes(-90.5), RoundTrip(DurableJson.WriteTimeSpan, TimeSpan.FromMinutes(-90.5), DurableJson.ReadTimeSpan));
        Assert.Equal(new DateOnly(2026, 2, 28), RoundTrip(DurableJson.WriteDateOnly, new DateOnly(2026, 2, 28), DurableJson.ReadDateOnly));
        Assert.Equal(new TimeOnly(23, 59, 1), RoundTrip(DurableJson.WriteTimeOnly, new TimeOnly(23, 59, 1), DurableJson.ReadTimeOnly));
        Assert.Equal(new Uri("docs/a b", UriKind.Relative), RoundTrip(DurableJson.WriteUri, new Uri("docs/a b", UriKind.Relative), DurableJson.ReadUri));
        Assert.Equal([1, 2, 255], RoundTrip(DurableJson.WriteBytes, [1, 2, 255], DurableJson.ReadBytes));
    }

    [Fact]
    public void WrittenText_IsTheDocumentedForm()
    {
        Assert.Equal("\"Infinity\"", Written(DurableJson.WriteDouble, double.PositiveInfinity));
        Assert.Equal("\"-01:30:30\"", Written(DurableJson.WriteTimeSpan, -TimeSpan.FromSeconds(5430)));
        Assert.Equal("\"2026-02-28\"", Written(DurableJson.WriteDateOnly, new DateOnly(2026, 2, 28)));
        Assert.Equal("null", Written<byte[]?>(DurableJson.WriteBytes, null));
    }

    [Theory]
    [InlineData("\"seven\"", "expected a number but found a string")]
    [InlineData("3000000000", "3000000000 is not an Int32")]
    [InlineData("true", "expected a number but found true")]
    public void ReadInt32_OfABadValue_SaysWhatWasExpected(string json, string message)
    {
        var thrown = Assert.Throws<JsonException>(() => Read(json, DurableJson.ReadInt32));

        Assert.Equal(message, thrown.Message);
    }

    [Fact]
    public void ReadFailed_NamesTheEventAndTheMemberPath()
    {
        var inner = DurableJson.At(DurableJson.At(new FormatException("not a sku"), ".sku"), ".lines[2]");

        var failure = DurableJson.ReadFailed("orders.placed", inner);

        Assert.Equal("$.lines[2].sku", failure.Path);
        Assert.Equal("Cannot read the payload of 'orders.placed' at $.lines[2].sku: not a sku", failure.Message);
        Assert.IsType<FormatException>(failure.InnerException);
    }

    [Fact]
    public void Enter_RefusesToWriteDeeperThanTheReaderReads()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using var writer = new Utf8JsonWriter(buffer);
        for (var depth = 0; depth < DurableJson.MaxDepth; depth++)
        {
            DurableJson.Enter(writer);
            writer.WriteStartArray();
        }

        var thrown = Assert.Throws<JsonException>(() => DurableJson.Enter(writer));

        Assert.Contains("deeper than 64 levels", thrown.Message, StringComparison.Ordinal);
    }

    private delegate T Reader<out T>(ref Utf8JsonReader reader);

    private static T RoundTrip<T>(Action<Utf8JsonWriter, T> write, T value, Reader<T> read) => Read(Written(write, value), read);

    private static string Written<T>(Action<Utf8JsonWriter, T> write, T value)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            write(writer, value);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static T Read<T>(string json, Reader<T> read)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
        reader.Read();
        return read(ref reader);
    }
}
