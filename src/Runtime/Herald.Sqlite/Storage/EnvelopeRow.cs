using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite.Storage;

/// <summary>
/// Reads an envelope from a row without ever failing: a row whose columns cannot be read (wrong storage class, id of
/// the wrong length, headers that are not a JSON object of strings, a time out of range, ...) becomes an envelope of
/// type <see cref="SqliteEventLog.CorruptRowType"/> that says what is wrong in the
/// <see cref="SqliteEventLog.CorruptRowReasonHeader"/> header, so a consumer dead-letters it and moves on instead of
/// failing on the same read forever. The payload is not parsed here: a payload that is not JSON is the consumer's to
/// dead-letter.
/// </summary>
internal static class EnvelopeRow
{
    /// <summary>The columns <see cref="Read"/> expects, in order, starting at the ordinal it is given.</summary>
    public const string Columns = "partition, position, id, type, version, occurred_at, partition_key, headers, payload";

    /// <summary>The same columns of a dead-letter row.</summary>
    public const string DeadLetterColumns = "partition, position, event_id, type, version, occurred_at, partition_key, headers, payload";

    /// <summary>The header that keeps a corrupt row's stored type, when it could be read.</summary>
    public const string StoredTypeHeader = "herald-stored-type";

    private const int Integer = 1;
    private const int Text = 3;
    private const int Blob = 4;
    private const int Null = 5;

    public static EventEnvelope Read(SqliteDataReader reader, int at)
    {
        var statement = reader.Handle ?? throw new InvalidOperationException("The reader is not on a row.");
        StringBuilder? problems = null;

        var partition = 0;
        if (raw.sqlite3_column_type(statement, at) == Integer
            && raw.sqlite3_column_int64(statement, at) is var storedPartition and >= 0 and <= int.MaxValue)
            partition = (int)storedPartition;
        else
            Problem(ref problems, "partition is not a non-negative integer");
        var first = at + 1;

        var position = 0L;
        if (raw.sqlite3_column_type(statement, first) == Integer && raw.sqlite3_column_int64(statement, first) >= 0)
            position = raw.sqlite3_column_int64(statement, first);
        else
            Problem(ref problems, "position is not a non-negative integer");

        Guid? id = null;
        switch (raw.sqlite3_column_type(statement, first + 1))
        {
            case Blob when raw.sqlite3_column_bytes(statement, first + 1) == EventIds.Size:
                id = EventIds.Read(raw.sqlite3_column_blob(statement, first + 1));
                break;
            case Text when Guid.TryParse(reader.GetString(first + 1), out var parsed):
                id = parsed;
                break;
        }
        if (id is null || id == Guid.Empty)
        {
            id = null;
            Problem(ref problems, "id is not a 16-byte UUID");
        }

        string? type = null;
        if (raw.sqlite3_column_type(statement, first + 2) == Text)
            type = reader.GetString(first + 2);
        if (string.IsNullOrWhiteSpace(type))
            Problem(ref problems, "type is not a name");

        var version = 0;
        if (raw.sqlite3_column_type(statement, first + 3) == Integer
            && raw.sqlite3_column_int64(statement, first + 3) is var storedVersion and >= int.MinValue and <= int.MaxValue)
            version = (int)storedVersion;
        else
            Problem(ref problems, "version is not a 32-bit integer");

        DateTimeOffset? occurredAt = null;
        if (raw.sqlite3_column_type(statement, first + 4) == Integer
            && StoredTime.TryRead(raw.sqlite3_column_int64(statement, first + 4), out var time))
            occurredAt = time;
        else
            Problem(ref problems, "occurred_at is not a time in Unix milliseconds");

        string? partitionKey = null;
        switch (raw.sqlite3_column_type(statement, first + 5))
        {
            case Null:
                break;
            case Text:
                partitionKey = reader.GetString(first + 5);
                break;
            default:
                Problem(ref problems, "partition_key is not text");
                break;
        }

        Dictionary<string, string>? headers = null;
        switch (raw.sqlite3_column_type(statement, first + 6))
        {
            case Null:
                break;
            case Text or Blob when HeadersJson.TryRead(raw.sqlite3_column_blob(statement, first + 6), out var parsed):
                headers = parsed;
                break;
            default:
                Problem(ref problems, "headers are not a JSON object of strings");
                break;
        }

        byte[]? payload = null;
        if (raw.sqlite3_column_type(statement, first + 7) is Blob or Text)
            payload = raw.sqlite3_column_blob(statement, first + 7).ToArray();
        else
            Problem(ref problems, "payload is not a blob");

        if (problems is null)
            return new EventEnvelope(id!.Value, type!, version, occurredAt!.Value, partitionKey, headers, payload, position, partition);

        var reported = headers ?? new Dictionary<string, string>(StringComparer.Ordinal);
        reported[SqliteEventLog.CorruptRowReasonHeader] = problems.ToString();
        if (!string.IsNullOrWhiteSpace(type))
            reported[StoredTypeHeader] = type;
        return new EventEnvelope(
            id ?? EventIds.ForUnreadableRow(partition, position),
            SqliteEventLog.CorruptRowType,
            version,
            occurredAt ?? DateTimeOffset.UnixEpoch,
            partitionKey,
            reported,
            payload ?? [],
            position,
            partition);
    }

    private static void Problem(ref StringBuilder? problems, string problem)
    {
        problems ??= new StringBuilder();
        if (problems.Length > 0)
            problems.Append("; ");
        problems.Append(problem);
    }
}
