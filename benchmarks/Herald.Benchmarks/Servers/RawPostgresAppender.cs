using Herald.Durable;
using Npgsql;
using NpgsqlTypes;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// The baseline of <see cref="PostgresAppendBenchmarks"/> and of the latency run on PostgreSQL: what an app would
/// write by hand with Npgsql to store the same rows. A table of the same shape as Herald.Postgres's <c>events</c> (the
/// partition and the position as its primary key, an identity <c>seq</c>, the same three secondary indexes) in a schema
/// of its own, positions counted in memory (a single writer needs no lock row), and one transaction per call of
/// <see cref="Append"/> (the callers pass at most the log writer's largest batch, 512): either one INSERT of
/// server-side unnested arrays (the shape Herald's own append uses) or one binary COPY.
/// </summary>
internal sealed class RawPostgresAppender : IDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _table;
    private readonly long[] _last = new long[Partitioning.DefaultPartitions];

    public RawPostgresAppender(NpgsqlDataSource dataSource, string schema)
    {
        Schema = schema;
        _table = $"\"{schema}\".raw_events";
        _connection = dataSource.OpenConnection();
        using var setup = new NpgsqlCommand($"""
            CREATE SCHEMA "{schema}";
            CREATE TABLE {_table} (
                partition int NOT NULL,
                position bigint NOT NULL,
                seq bigint GENERATED ALWAYS AS IDENTITY,
                id uuid NOT NULL,
                type text NOT NULL,
                version int NOT NULL,
                occurred_at timestamptz NOT NULL,
                partition_key text,
                headers jsonb,
                payload bytea NOT NULL,
                PRIMARY KEY (partition, position)
            );
            CREATE INDEX ON {_table} (partition, type, position);
            CREATE INDEX ON {_table} (id);
            CREATE INDEX ON {_table} (seq);
            """, _connection);
        setup.ExecuteNonQuery();
    }

    public string Schema { get; }

    /// <summary>Inserts <paramref name="rows"/> in one transaction: one INSERT ... SELECT FROM unnest(arrays).</summary>
    public void Insert(ReadOnlySpan<RawEnvelope> rows)
    {
        var count = rows.Length;
        var partitions = new int[count];
        var positions = new long[count];
        var ids = new Guid[count];
        var types = new string[count];
        var versions = new int[count];
        var times = new DateTime[count];
        var keys = new string?[count];
        var payloads = new byte[count][];
        for (var i = 0; i < count; i++)
        {
            var row = rows[i];
            partitions[i] = row.Partition;
            positions[i] = ++_last[row.Partition];
            ids[i] = row.Id;
            types[i] = row.Type;
            versions[i] = row.Version;
            times[i] = row.OccurredAt;
            keys[i] = row.PartitionKey;
            payloads[i] = row.Payload;
        }
        using var insert = new NpgsqlCommand(
            $"INSERT INTO {_table} (partition, position, id, type, version, occurred_at, partition_key, payload) " +
            "SELECT * FROM unnest($1::int[], $2::bigint[], $3::uuid[], $4::text[], $5::int[], $6::timestamptz[], $7::text[], $8::bytea[])",
            _connection);
        insert.Parameters.Add(new NpgsqlParameter { Value = partitions });
        insert.Parameters.Add(new NpgsqlParameter { Value = positions });
        insert.Parameters.Add(new NpgsqlParameter { Value = ids });
        insert.Parameters.Add(new NpgsqlParameter { Value = types });
        insert.Parameters.Add(new NpgsqlParameter { Value = versions });
        insert.Parameters.Add(new NpgsqlParameter { Value = times, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        insert.Parameters.Add(new NpgsqlParameter { Value = keys, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        insert.Parameters.Add(new NpgsqlParameter { Value = payloads, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bytea });
        insert.ExecuteNonQuery();
    }

    /// <summary>Writes <paramref name="rows"/> in one transaction with one binary COPY.</summary>
    public void Copy(ReadOnlySpan<RawEnvelope> rows)
    {
        using var transaction = _connection.BeginTransaction();
        using (var copy = _connection.BeginBinaryImport(
                   $"COPY {_table} (partition, position, id, type, version, occurred_at, partition_key, payload) FROM STDIN (FORMAT BINARY)"))
        {
            foreach (var row in rows)
            {
                copy.StartRow();
                copy.Write(row.Partition, NpgsqlDbType.Integer);
                copy.Write(++_last[row.Partition], NpgsqlDbType.Bigint);
                copy.Write(row.Id, NpgsqlDbType.Uuid);
                copy.Write(row.Type, NpgsqlDbType.Text);
                copy.Write(row.Version, NpgsqlDbType.Integer);
                copy.Write(row.OccurredAt, NpgsqlDbType.TimestampTz);
                if (row.PartitionKey is null)
                    copy.WriteNull();
                else
                    copy.Write(row.PartitionKey, NpgsqlDbType.Text);
                copy.Write(row.Payload, NpgsqlDbType.Bytea);
            }
            copy.Complete();
        }
        transaction.Commit();
    }

    /// <summary>The rows in the table (to check that a run stored what it claims).</summary>
    public long Count()
    {
        using var count = new NpgsqlCommand($"SELECT count(*) FROM {_table}", _connection);
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose()
    {
        using (var drop = new NpgsqlCommand($"DROP SCHEMA \"{Schema}\" CASCADE", _connection))
            drop.ExecuteNonQuery();
        _connection.Dispose();
    }
}

/// <summary>One stored event as the raw baselines bind it: the columns of an envelope, prepared ahead.</summary>
internal sealed record RawEnvelope(int Partition, Guid Id, string Type, int Version, DateTime OccurredAt, string? PartitionKey, byte[] Payload)
{
    /// <summary>The row Herald stores for <paramref name="envelope"/> in a log of the default partition count.</summary>
    public static RawEnvelope From(EventEnvelope envelope) => new(
        Partitioning.PartitionOf(envelope, Partitioning.DefaultPartitions),
        envelope.Id,
        envelope.Type,
        envelope.Version,
        envelope.OccurredAt.UtcDateTime,
        envelope.PartitionKey,
        envelope.Payload.ToArray());
}
