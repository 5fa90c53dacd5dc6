using System.Buffers.Binary;
using System.Text;
using Npgsql;

namespace Herald.Postgres.Storage;

/// <summary>
/// Reads an envelope from a row (<see cref="Sql.EnvelopeColumns"/>, starting at an ordinal) without ever failing: the
/// columns' types are the table's, but a row changed by hand can still hold what no publisher wrote (headers that are
/// not an object of strings, a blank type, a NULL where the schema was altered). Such a row becomes an envelope of type
/// <see cref="PostgresEventLog.CorruptRowType"/> whose <see cref="PostgresEventLog.CorruptRowReasonHeader"/> header says
/// what is wrong, so a consumer dead-letters it and moves on. The payload is not parsed here.
/// </summary>
internal static class EnvelopeRow
{
    /// <summary>The header that keeps a corrupt row's stored type, when it could be read.</summary>
    public const string StoredTypeHeader = "herald-stored-type";

    public static EventEnvelope Read(NpgsqlDataReader reader, int at)
    {
        StringBuilder? problems = null;

        var partition = !reader.IsDBNull(at) && reader.GetInt32(at) is var p and >= 0 ? p : Problem(ref problems, "partition is not a non-negative integer", 0);
        var position = !reader.IsDBNull(at + 1) && reader.GetInt64(at + 1) is var q and >= 0 ? q : Problem(ref problems, "position is not a non-negative integer", 0L);
        Guid? id = reader.IsDBNull(at + 2) ? null : reader.GetGuid(at + 2);
        if (id is null || id == Guid.Empty)
        {
            id = null;
            Problem(ref problems, "id is not a UUID", 0);
        }
        var type = reader.IsDBNull(at + 3) ? null : reader.GetString(at + 3);
        if (string.IsNullOrWhiteSpace(type))
            Problem(ref problems, "type is not a name", 0);
        var version = reader.IsDBNull(at + 4) ? Problem(ref problems, "version is NULL", 0) : reader.GetInt32(at + 4);
        DateTimeOffset? occurredAt = null;
        if (reader.IsDBNull(at + 5))
            Problem(ref problems, "occurred_at is NULL", 0);
        else
        {
            try
            {
                occurredAt = new DateTimeOffset(reader.GetDateTime(at + 5), TimeSpan.Zero);
            }
            catch (InvalidCastException)
            {
                Problem(ref problems, "occurred_at is out of range (infinity)", 0);
            }
        }
        var partitionKey = reader.IsDBNull(at + 6) ? null : reader.GetString(at + 6);
        Dictionary<string, string>? headers = null;
        if (!reader.IsDBNull(at + 7))
        {
            if (HeadersJson.TryRead(reader.GetString(at + 7), out var parsed))
                headers = parsed;
            else
                Problem(ref problems, "headers are not a JSON object of strings", 0);
        }
        byte[]? payload = reader.IsDBNull(at + 8) ? null : reader.GetFieldValue<byte[]>(at + 8);
        if (payload is null)
            Problem(ref problems, "payload is NULL", 0);

        if (problems is null)
            return new EventEnvelope(id!.Value, type!, version, occurredAt!.Value, partitionKey, headers, payload, position, partition);

        var reported = headers ?? new Dictionary<string, string>(StringComparer.Ordinal);
        reported[PostgresEventLog.CorruptRowReasonHeader] = problems.ToString();
        if (!string.IsNullOrWhiteSpace(type))
            reported[StoredTypeHeader] = type;
        return new EventEnvelope(
            id ?? ForUnreadableRow(partition, position),
            PostgresEventLog.CorruptRowType,
            version,
            occurredAt ?? DateTimeOffset.UnixEpoch,
            partitionKey,
            reported,
            payload ?? [],
            position,
            partition);
    }

    /// <summary>
    /// A stable id for a row whose own id cannot be read: a UUIDv8 made of "hera", the partition and the position (the
    /// same scheme as Herald.Sqlite), so every read of the row gives the same id and the inbox works for it.
    /// </summary>
    public static Guid ForUnreadableRow(int partition, long position)
    {
        Span<byte> bytes = stackalloc byte[16];
        "hera"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16BigEndian(bytes[4..], (ushort)partition);
        bytes[6] = (byte)(0x80 | ((partition >> 16) & 0x0F));
        bytes[7] = (byte)(partition >> 20);
        BinaryPrimitives.WriteInt64BigEndian(bytes[8..], position);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes, bigEndian: true);
    }

    private static T Problem<T>(ref StringBuilder? problems, string problem, T fallback)
    {
        problems ??= new StringBuilder();
        if (problems.Length > 0)
            problems.Append("; ");
        problems.Append(problem);
        return fallback;
    }
}
