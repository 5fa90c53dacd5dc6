using Herald.Benchmarks.Durable;
using Npgsql;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// The latency run's baseline on PostgreSQL: <see cref="RawPostgresAppender"/> (a table of Herald.Postgres's shape in a
/// schema of its own; one INSERT of unnested arrays per commit) and a reader on a connection of its own that selects
/// the rows after the last <c>seq</c> it saw. The schema is dropped at the end.
/// </summary>
internal sealed class PostgresLatencyStore : RawLatencyStore
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly RawPostgresAppender _appender;
    private readonly NpgsqlConnection _reader;
    private readonly NpgsqlCommand _select;
    private readonly NpgsqlParameter _last;
    private readonly int _partitions;
    private long _seen;

    public PostgresLatencyStore(string connectionString, int partitions)
    {
        _partitions = Math.Min(partitions, Herald.Durable.Partitioning.DefaultPartitions);
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _appender = new RawPostgresAppender(_dataSource, BenchmarkServers.NewName("bench_latency_raw"));
        _reader = _dataSource.OpenConnection();
        _select = new NpgsqlCommand($"SELECT seq, payload FROM \"{_appender.Schema}\".raw_events WHERE seq > $1 ORDER BY seq", _reader);
        _last = new NpgsqlParameter { Value = 0L };
        _select.Parameters.Add(_last);
        _select.Prepare();
    }

    public override string Name => "raw Npgsql";

    public override void Write(IReadOnlyList<int> sequences, long[] publishedAt)
    {
        var rows = ProbeEnvelopes(sequences, publishedAt, _partitions);
        _appender.Insert(rows);
    }

    public override void ReadNew(Action<int> seen)
    {
        _last.Value = _seen;
        using var rows = _select.ExecuteReader();
        while (rows.Read())
        {
            _seen = rows.GetInt64(0);
            _ = rows.GetFieldValue<byte[]>(1);
            // One writer inserts in publish order into an empty table: seq (an identity from 1) is the sequence plus one.
            seen((int)(_seen - 1));
        }
    }

    public override void Dispose()
    {
        _select.Dispose();
        _reader.Dispose();
        _appender.Dispose();
        _dataSource.Dispose();
    }
}
