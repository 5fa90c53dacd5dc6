using System.Globalization;
using System.Text;
using StackExchange.Redis;

namespace Herald.Redis.Storage;

/// <summary>
/// One event as a stream entry: id <c>{position}-0</c> in the stream of its partition and type, and the fields
/// <c>s</c> (the log's append order), <c>i</c> (the envelope id, text), <c>v</c> (version), <c>o</c> (occurred at, Unix
/// ms), <c>k</c> (the partition key, absent for none), <c>h</c> (headers as JSON, absent for none) and <c>d</c> (the
/// payload). Field names are one letter because Redis keeps each entry's names unless they repeat the stream's first
/// entry's, and short values pack better.
/// </summary>
/// <remarks>
/// Reading never fails on an entry's contents: one whose fields cannot be read becomes an envelope of type
/// <see cref="EventEnvelope.CorruptType"/> whose <see cref="EventEnvelope.CorruptReasonHeader"/> header says what is
/// wrong, so that a consumer dead-letters it and moves on. Its stream names its type, which is kept in the
/// <see cref="StoredTypeHeader"/> header.
/// </remarks>
internal static class LogEntry
{
    /// <summary>The header of a corrupt entry's envelope that keeps the type its stream names.</summary>
    public const string StoredTypeHeader = "herald-stored-type";

    /// <summary>Times are whole Unix milliseconds: an envelope read back has its time truncated to the millisecond.</summary>
    public static long ToStored(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    /// <summary>The smallest stored time not before <paramref name="time"/>.</summary>
    public static long AtOrAfter(DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var milliseconds = ticks / TimeSpan.TicksPerMillisecond;
        return ticks % TimeSpan.TicksPerMillisecond > 0 ? milliseconds + 1 : milliseconds;
    }

    /// <summary>The position an entry id (<c>{position}-0</c>) names; -1 when it is not one Herald writes.</summary>
    public static long PositionOf(string? entryId)
    {
        if (entryId is null)
            return -1;
        var dash = entryId.IndexOf('-', StringComparison.Ordinal);
        var digits = dash < 0 ? entryId : entryId[..dash];
        return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var position) ? position : -1;
    }

    /// <summary>Reads an entry of <paramref name="type"/>'s stream in <paramref name="partition"/> (an XRANGE reply item).</summary>
    public static EventEnvelope Read(RedisResult entry, int partition, string type)
    {
        var parts = (RedisResult[])entry!;
        var position = PositionOf((string?)parts[0]);
        var fields = parts.Length > 1 && parts[1].Resp2Type == ResultType.Array ? (RedisResult[])parts[1]! : [];
        StringBuilder? problems = null;
        if (position < 1)
        {
            Problem(ref problems, "the entry id is not a position");
            position = Math.Max(0, position);
        }

        Guid? id = null;
        var version = 0;
        DateTimeOffset? occurredAt = null;
        string? key = null;
        Dictionary<string, string>? headers = null;
        byte[]? payload = null;
        bool sawId = false, sawVersion = false, sawTime = false;
        for (var i = 0; i + 1 < fields.Length; i += 2)
        {
            var value = fields[i + 1];
            switch ((string?)fields[i])
            {
                case "i":
                    sawId = true;
                    if (Guid.TryParse((string?)value, out var parsed) && parsed != Guid.Empty)
                        id = parsed;
                    else
                        Problem(ref problems, "i (the id) is not a UUID");
                    break;
                case "v":
                    sawVersion = true;
                    if (!int.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out version))
                        Problem(ref problems, "v (the version) is not a 32-bit integer");
                    break;
                case "o":
                    sawTime = true;
                    if (long.TryParse((string?)value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var milliseconds)
                        && milliseconds >= -62_135_596_800_000 && milliseconds <= 253_402_300_799_999)
                        occurredAt = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
                    else
                        Problem(ref problems, "o (occurred at) is not a time in Unix milliseconds");
                    break;
                case "k":
                    key = (string?)value;
                    break;
                case "h":
                    if (HeadersJson.TryRead((byte[]?)value ?? [], out var read))
                        headers = read;
                    else
                        Problem(ref problems, "h (the headers) is not a JSON object of strings");
                    break;
                case "d":
                    payload = (byte[]?)value ?? [];
                    break;
            }
        }
        if (!sawId)
            Problem(ref problems, "i (the id) is missing");
        if (!sawVersion)
            Problem(ref problems, "v (the version) is missing");
        if (!sawTime)
            Problem(ref problems, "o (occurred at) is missing");
        if (payload is null)
            Problem(ref problems, "d (the payload) is missing");

        if (problems is null)
            return new EventEnvelope(id!.Value, type, version, occurredAt!.Value, key, headers, payload, position, partition);

        var reported = headers ?? new Dictionary<string, string>(StringComparer.Ordinal);
        reported[EventEnvelope.CorruptReasonHeader] = problems.ToString();
        reported[StoredTypeHeader] = type;
        return new EventEnvelope(
            id ?? IdForUnreadable(partition, position),
            EventEnvelope.CorruptType,
            version,
            occurredAt ?? DateTimeOffset.UnixEpoch,
            key,
            reported,
            payload ?? [],
            position,
            partition);
    }

    /// <summary>A stable id for an entry whose id cannot be read, derived from where it is (so a redelivery has the same one).</summary>
    private static Guid IdForUnreadable(int partition, long position)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, (long)partition + 1);
        BitConverter.TryWriteBytes(bytes[8..], position);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8: custom
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static void Problem(ref StringBuilder? problems, string problem)
    {
        problems ??= new StringBuilder();
        if (problems.Length > 0)
            problems.Append("; ");
        problems.Append(problem);
    }
}
