using System.Text;
using Microsoft.Data.Sqlite;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// Where <see cref="RawLatencyBaseline"/> writes and reads: what an app would write by hand for the transport the run
/// measures (SQLite here; PostgreSQL and Redis in <c>Servers/</c>). <see cref="Write"/> runs on the baseline's writer
/// thread, <see cref="ReadNew"/> on its reader thread, each called by one thread only.
/// </summary>
internal abstract class RawLatencyStore : IDisposable
{
    /// <summary>How the baseline's rows in the run's output are named, for example <c>raw SQLite</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Stores the events <paramref name="sequences"/> (in this order) and returns once they are committed.</summary>
    public abstract void Write(IReadOnlyList<int> sequences, long[] publishedAt);

    /// <summary>Reads what was committed since the last call and reports each event's sequence, in order.</summary>
    public abstract void ReadNew(Action<int> seen);

    public abstract void Dispose();

    /// <summary>The payload of a baseline event: its sequence and publish timestamp, as JSON (the size of Herald's probe).</summary>
    /// <summary>The probes of <paramref name="sequences"/> as rows of the server baselines' shape, spread over <paramref name="partitions"/>.</summary>
    protected static Servers.RawEnvelope[] ProbeEnvelopes(IReadOnlyList<int> sequences, long[] publishedAt, int partitions)
    {
        var rows = new Servers.RawEnvelope[sequences.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var sequence = sequences[i];
            rows[i] = new Servers.RawEnvelope(sequence % partitions, Guid.CreateVersion7(), "bench.latency-probe", 1, DateTime.UtcNow, null,
                Payload(sequence, publishedAt[sequence]));
        }
        return rows;
    }

    protected static byte[] Payload(int sequence, long publishedAt)
        => Encoding.UTF8.GetBytes($$"""{"sequence":{{sequence}},"publishedAt":{{publishedAt}}}""");
}

/// <summary>
/// The SQLite baseline: <see cref="RawSqliteAppender"/> (the table and indexes of Herald.Sqlite's schema, the same
/// connection settings) and a reader on a connection of its own that reads the rows after the last it saw.
/// </summary>
internal sealed class SqliteLatencyStore : RawLatencyStore
{
    private readonly RawSqliteAppender _appender;
    private readonly SqliteConnection _reader;
    private readonly SqliteCommand _select;
    private readonly SqliteParameter _last;
    private readonly int _partitions;
    private long _seen;

    public SqliteLatencyStore(string database, int partitions)
    {
        _partitions = Math.Min(partitions, 8); // the appender's table keeps positions for up to 8 partitions
        _appender = new RawSqliteAppender(database);
        _reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        _reader.Open();
        _select = _reader.CreateCommand();
        _select.CommandText = "SELECT seq, payload FROM raw_events WHERE seq > $last ORDER BY seq;";
        _last = _select.Parameters.Add("$last", SqliteType.Integer);
    }

    public override string Name => "raw SQLite";

    public override void Write(IReadOnlyList<int> sequences, long[] publishedAt)
    {
        var rows = new RawRow[sequences.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var sequence = sequences[i];
            rows[i] = new RawRow(sequence % _partitions, Guid.CreateVersion7().ToByteArray(bigEndian: true), "bench.latency-probe", 1,
                DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, Payload(sequence, publishedAt[sequence]));
        }
        _appender.Append(rows);
    }

    public override void ReadNew(Action<int> seen)
    {
        _last.Value = _seen;
        using var rows = _select.ExecuteReader();
        while (rows.Read())
        {
            _seen = rows.GetInt64(0);
            _ = rows.GetFieldValue<byte[]>(1);
            // Rows are inserted in publish order into an empty table, so the rowid is the sequence plus one.
            seen((int)(_seen - 1));
        }
    }

    public override void Dispose()
    {
        _select.Dispose();
        _reader.Dispose();
        _appender.Dispose();
    }
}
