using Microsoft.Data.Sqlite;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// The baseline of <see cref="DurableAppendBenchmarks"/>: what an app would write by hand with Microsoft.Data.Sqlite to
/// store the same rows. A table of the same shape as Herald.Sqlite's <c>herald_events</c> (append order as the rowid, the
/// partition and the position within it, the same three indexes), the same connection settings (WAL,
/// <c>synchronous=NORMAL</c>, busy timeout), one prepared INSERT whose parameters are reused, positions counted in
/// memory (a single writer needs no more), and one <c>BEGIN IMMEDIATE</c> transaction per
/// <see cref="RowsPerTransaction"/> rows (the log writer's largest batch).
/// </summary>
internal sealed class RawSqliteAppender : IDisposable
{
    public const int RowsPerTransaction = 512;

    // The shape of herald_events in Herald.Sqlite's LogSchema (kept in step by hand: the baseline must pay for the
    // same row and the same indexes).
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS raw_events (
            seq INTEGER PRIMARY KEY,
            partition INTEGER NOT NULL,
            position INTEGER NOT NULL,
            id BLOB NOT NULL,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            occurred_at INTEGER NOT NULL,
            partition_key TEXT,
            headers TEXT,
            payload BLOB NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS raw_events_position ON raw_events (partition, position);
        CREATE INDEX IF NOT EXISTS raw_events_type ON raw_events (partition, type, position);
        CREATE INDEX IF NOT EXISTS raw_events_id ON raw_events (id);
        """;

    private const int Partitions = 8;

    private readonly SqliteConnection _connection;
    private readonly SqliteCommand _insert;
    private readonly SqliteParameter _id;
    private readonly SqliteParameter _type;
    private readonly SqliteParameter _version;
    private readonly SqliteParameter _occurredAt;
    private readonly SqliteParameter _partitionKey;
    private readonly SqliteParameter _headers;
    private readonly SqliteParameter _payload;
    private readonly SqliteParameter _partition;
    private readonly SqliteParameter _position;
    private readonly long[] _last = new long[Partitions];

    public RawSqliteAppender(string databasePath)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        _connection.Open();
        using (var setup = _connection.CreateCommand())
        {
            setup.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA synchronous = NORMAL;" + Schema;
            setup.ExecuteNonQuery();
        }
        _insert = _connection.CreateCommand();
        _insert.CommandText =
            "INSERT INTO raw_events (partition, position, id, type, version, occurred_at, partition_key, headers, payload) " +
            "VALUES ($partition, $position, $id, $type, $version, $occurred_at, $partition_key, $headers, $payload);";
        _partition = _insert.Parameters.Add("$partition", SqliteType.Integer);
        _position = _insert.Parameters.Add("$position", SqliteType.Integer);
        _id = _insert.Parameters.Add("$id", SqliteType.Blob);
        _type = _insert.Parameters.Add("$type", SqliteType.Text);
        _version = _insert.Parameters.Add("$version", SqliteType.Integer);
        _occurredAt = _insert.Parameters.Add("$occurred_at", SqliteType.Integer);
        _partitionKey = _insert.Parameters.Add("$partition_key", SqliteType.Text);
        _headers = _insert.Parameters.Add("$headers", SqliteType.Text);
        _payload = _insert.Parameters.Add("$payload", SqliteType.Blob);
        _insert.Prepare();
    }

    /// <summary>Inserts <paramref name="rows"/>, committing every <see cref="RowsPerTransaction"/> rows.</summary>
    public void Append(RawRow[] rows)
    {
        for (var start = 0; start < rows.Length; start += RowsPerTransaction)
        {
            var end = Math.Min(rows.Length, start + RowsPerTransaction);
            using var transaction = _connection.BeginTransaction(deferred: false);
            _insert.Transaction = transaction;
            for (var i = start; i < end; i++)
            {
                var row = rows[i];
                _partition.Value = row.Partition;
                _position.Value = ++_last[row.Partition];
                _id.Value = row.Id;
                _type.Value = row.Type;
                _version.Value = row.Version;
                _occurredAt.Value = row.OccurredAt;
                _partitionKey.Value = (object?)row.PartitionKey ?? DBNull.Value;
                _headers.Value = DBNull.Value;
                _payload.Value = row.Payload;
                _insert.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }

    /// <summary>The rows in the table (to check that a run stored what it claims).</summary>
    public long Count()
    {
        using var count = _connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM raw_events;";
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose()
    {
        _insert.Dispose();
        _connection.Dispose();
    }
}

/// <summary>One stored event as the raw baseline binds it: the columns of an envelope, prepared ahead.</summary>
internal sealed record RawRow(int Partition, byte[] Id, string Type, int Version, long OccurredAt, string? PartitionKey, byte[] Payload)
{
    /// <summary>The row Herald.Sqlite stores for <paramref name="envelope"/> (id as big-endian UUID bytes, time in Unix ms).</summary>
    public static RawRow From(EventEnvelope envelope) => new(
        Herald.Durable.Partitioning.PartitionOf(envelope, 8),
        envelope.Id.ToByteArray(bigEndian: true),
        envelope.Type,
        envelope.Version,
        envelope.OccurredAt.ToUnixTimeMilliseconds(),
        envelope.PartitionKey,
        envelope.Payload.ToArray());
}
