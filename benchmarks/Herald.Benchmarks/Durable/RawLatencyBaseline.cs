using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// The baseline of the latency run, measured in the same run on a file of its own: what an app would write by hand with
/// Microsoft.Data.Sqlite to store events at the same pace and read them back. The same pacer (every millisecond or so,
/// the events that are due), one writer thread that commits whatever arrived since its last commit as one transaction
/// through <see cref="RawSqliteAppender"/> (the table and the indexes of Herald.Sqlite's schema, the same connection
/// settings), and one reader thread that reads the new rows after each commit on a connection of its own. Recorded
/// per event as for Herald: until its commit returned ("ack") and until the reader saw it ("consumer").
/// </summary>
/// <remarks>
/// What it leaves out and Herald does: envelopes and JSON serialization, the write gate and several concurrent
/// readers (one per partition), the consumers' inbox marks and offset commits, the checkpoint loop. What the two share:
/// the machine, the disk, SQLite and its settings. So the gap between the two rows is what Herald adds; the baseline's
/// own p99 is the floor this machine puts under any SQLite log at this rate.
/// </remarks>
internal sealed class RawLatencyBaseline
{
    private readonly LatencyRecorder _recorder;
    private readonly long[] _publishedAt;
    private readonly int _partitions;
    private readonly ConcurrentQueue<int> _queue = new();
    private readonly SemaphoreSlim _toWrite = new(0);
    private readonly SemaphoreSlim _toRead = new(0);
    private volatile bool _published;
    private Exception? _failure;

    private RawLatencyBaseline(int total, int partitions)
    {
        _recorder = new LatencyRecorder(total);
        _publishedAt = new long[total];
        _partitions = Math.Min(partitions, 8); // the appender's table keeps positions for up to 8 partitions
    }

    /// <summary>Publishes <paramref name="total"/> events at <paramref name="rate"/> into a new file at <paramref name="database"/>.</summary>
    public static LatencyRecorder Measure(string database, int rate, int total, int partitions)
    {
        var run = new RawLatencyBaseline(total, partitions);
        using var appender = new RawSqliteAppender(database);
        var writer = new Thread(() => run.Guard(() => run.Write(appender))) { IsBackground = true, Name = "raw writer" };
        var reader = new Thread(() => run.Guard(() => run.Read(database))) { IsBackground = true, Name = "raw reader" };
        writer.Start();
        reader.Start();
        run.Pace(rate);
        run._published = true;
        run._toWrite.Release();
        if (!writer.Join(TimeSpan.FromMinutes(1)) || !reader.Join(TimeSpan.FromMinutes(1)))
            throw new TimeoutException("The raw baseline did not finish within a minute of its last publish.");
        if (run._failure is not null)
            throw new InvalidOperationException("The raw baseline failed.", run._failure);
        return run._recorder;
    }

    private void Guard(Action body)
    {
        try
        {
            body();
        }
        catch (Exception exception)
        {
            _failure ??= exception;
            _toRead.Release();
        }
    }

    private void Pace(int rate)
    {
        var ticksPerEvent = (double)Stopwatch.Frequency / rate;
        var start = Stopwatch.GetTimestamp();
        var sent = 0;
        while (sent < _recorder.Total && _failure is null)
        {
            var due = (int)Math.Min(_recorder.Total, ((Stopwatch.GetTimestamp() - start) / ticksPerEvent) + 1);
            for (; sent < due; sent++)
            {
                _publishedAt[sent] = Stopwatch.GetTimestamp();
                _queue.Enqueue(sent);
            }
            _toWrite.Release();
            if (sent < _recorder.Total)
                Thread.Sleep(1);
        }
    }

    private void Write(RawSqliteAppender appender)
    {
        var batch = new List<RawRow>(RawSqliteAppender.RowsPerTransaction);
        var sequences = new List<int>(RawSqliteAppender.RowsPerTransaction);
        var written = 0;
        while (written < _recorder.Total)
        {
            _toWrite.Wait();
            while (batch.Count < RawSqliteAppender.RowsPerTransaction && _queue.TryDequeue(out var sequence))
            {
                sequences.Add(sequence);
                batch.Add(Row(sequence));
            }
            if (batch.Count == 0)
            {
                if (_published && _queue.IsEmpty)
                    return;
                continue;
            }
            appender.Append([.. batch]);
            var now = Stopwatch.GetTimestamp();
            foreach (var sequence in sequences)
                _recorder.RecordAcknowledged(sequence, now - _publishedAt[sequence]);
            written += batch.Count;
            batch.Clear();
            sequences.Clear();
            _toRead.Release();
            if (!_queue.IsEmpty)
                _toWrite.Release(); // more arrived while this batch committed (or it was capped): go again at once
        }
    }

    private void Read(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var select = connection.CreateCommand();
        select.CommandText = "SELECT seq, payload FROM raw_events WHERE seq > $last ORDER BY seq;";
        var last = select.Parameters.Add("$last", SqliteType.Integer);
        long seen = 0;
        while (seen < _recorder.Total && _failure is null)
        {
            _toRead.Wait();
            last.Value = seen;
            using var rows = select.ExecuteReader();
            while (rows.Read())
            {
                seen = rows.GetInt64(0);
                _ = rows.GetFieldValue<byte[]>(1);
                // Rows are inserted in publish order into an empty table, so the rowid is the sequence plus one.
                _recorder.RecordHandled((int)(seen - 1), _publishedAt[seen - 1]);
            }
        }
    }

    private RawRow Row(int sequence)
    {
        var payload = Encoding.UTF8.GetBytes($$"""{"sequence":{{sequence}},"publishedAt":{{_publishedAt[sequence]}}}""");
        return new RawRow(sequence % _partitions, Guid.CreateVersion7().ToByteArray(bigEndian: true), "bench.latency-probe", 1,
            DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), null, payload);
    }
}
