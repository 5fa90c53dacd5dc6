using System.Buffers;
using System.Text.Json;
using Herald.Durable;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite.Storage;

/// <summary>
/// The log's one writer connection. Appends take the log's write gate; each batch is one <c>BEGIN IMMEDIATE</c>
/// transaction: it reads the last position of every partition from <c>herald_partitions</c>, gives each envelope the
/// next position of its partition, inserts the rows with multi-row INSERT statements (<see cref="RowsPerStatement"/>
/// rows each, then a smaller statement for the rest), each prepared once, payloads bound straight from the envelopes'
/// memory, and stores the new last positions. Holding the write lock from the read to the commit (also against
/// appenders in other processes) is what makes positions of a partition increase by one per event in commit order.
/// </summary>
internal sealed class EventAppender : IDisposable
{
    /// <summary>The statement sizes, largest first; the last is one row, so any batch size is covered.</summary>
    internal static readonly int[] RowsPerStatement = [32, 8, 1];

    private const int Columns = 9;
    private const int SqliteOk = 0;
    private const int SqliteDone = 101;

    private readonly SqliteConnection _connection;
    private readonly WriteGate _gate;
    private readonly ArrayBufferWriter<byte> _headers = new(256);
    private readonly Utf8JsonWriter _headersWriter;
    private readonly sqlite3_stmt?[] _inserts = new sqlite3_stmt?[RowsPerStatement.Length];
    private readonly long[] _last;
    private readonly bool[] _touched;
    private readonly int _partitions;
    private readonly SqliteCommand _readLast;
    private readonly SqliteCommand _writeLast;
    private readonly SqliteParameter _writePartition;
    private readonly SqliteParameter _writePosition;
    private bool _disposed;

    public EventAppender(SqliteConnection connection, WriteGate gate, int partitions)
    {
        _connection = connection;
        _gate = gate;
        _partitions = partitions;
        _last = new long[partitions];
        _touched = new bool[partitions];
        _headersWriter = new Utf8JsonWriter(_headers);
        // Kept for the writer's lifetime: Microsoft.Data.Sqlite prepares a command's statement once and reuses it.
        _readLast = connection.CreateCommand();
        _readLast.CommandText = Sql.LastPositions;
        _writeLast = connection.CreateCommand();
        _writeLast.CommandText = Sql.SetLastPosition;
        _writePartition = _writeLast.Parameters.Add("$partition", SqliteType.Integer);
        _writePosition = _writeLast.Parameters.Add("$position", SqliteType.Integer);
    }

    /// <summary>Appends <paramref name="batch"/> in one transaction; <paramref name="beforeCommit"/> may still refuse it.</summary>
    public async ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, Action beforeCommit, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return [];
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is null)
                throw new ArgumentException($"The batch holds null at index {i}.", nameof(batch));
        }
        using var gate = await _gate.EnterAsync(cancellationToken, first: true).ConfigureAwait(false);
        ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteEventLog));
        cancellationToken.ThrowIfCancellationRequested();
        var positions = new LogPosition[batch.Count];
        using var transaction = _connection.BeginTransaction(deferred: false);
        ReadLastPositions(transaction);
        for (var i = 0; i < batch.Count; i++)
        {
            var partition = Partitioning.PartitionOf(batch[i], _partitions);
            positions[i] = new LogPosition(partition, ++_last[partition]);
            _touched[partition] = true;
        }
        var db = _connection.Handle!;
        var next = 0;
        for (var size = 0; size < RowsPerStatement.Length; size++)
        {
            var rows = RowsPerStatement[size];
            while (batch.Count - next >= rows)
            {
                var insert = _inserts[size] ??= Prepare(db, rows);
                for (var row = 0; row < rows; row++)
                    Bind(insert, row * Columns, batch[next + row], positions[next + row]);
                var result = raw.sqlite3_step(insert);
                raw.sqlite3_reset(insert);
                if (result != SqliteDone)
                    SqliteException.ThrowExceptionForRC(result, db);
                if (raw.sqlite3_changes(db) != rows)
                    throw new InvalidOperationException($"An INSERT of {rows} rows changed {raw.sqlite3_changes(db)}.");
                next += rows;
            }
        }
        WriteLastPositions(transaction);
        // Past this point the batch commits or fails as a whole; cancellation no longer applies.
        cancellationToken.ThrowIfCancellationRequested();
        beforeCommit();
        transaction.Commit();
        return positions;
    }

    private void ReadLastPositions(SqliteTransaction transaction)
    {
        _readLast.Transaction = transaction;
        Array.Clear(_touched);
        using var reader = _readLast.ExecuteReader();
        while (reader.Read())
        {
            var partition = reader.GetInt32(0);
            if (partition >= 0 && partition < _partitions)
                _last[partition] = reader.GetInt64(1);
        }
    }

    private void WriteLastPositions(SqliteTransaction transaction)
    {
        _writeLast.Transaction = transaction;
        for (var i = 0; i < _partitions; i++)
        {
            if (!_touched[i])
                continue;
            _writePartition.Value = i;
            _writePosition.Value = _last[i];
            _writeLast.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        using var gate = _gate.EnterForDispose();
        if (_disposed)
            return;
        _disposed = true;
        foreach (var insert in _inserts)
            insert?.Dispose();
        _readLast.Dispose();
        _writeLast.Dispose();
        _headersWriter.Dispose();
        _connection.Dispose();
    }

    private static sqlite3_stmt Prepare(sqlite3 db, int rows)
    {
        var values = string.Join(", ", Enumerable.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?)", rows));
        var sql = $"INSERT INTO herald_events (partition, position, id, type, version, occurred_at, partition_key, headers, payload) VALUES {values};";
        var result = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (result != SqliteOk || statement is null)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(result, db);
            throw new InvalidOperationException("SQLite prepared no statement for the append.");
        }
        return statement;
    }

    /// <summary>Binds one row's columns; <paramref name="at"/> is the number of parameters before the row.</summary>
    private void Bind(sqlite3_stmt insert, int at, EventEnvelope envelope, LogPosition position)
    {
        Check(raw.sqlite3_bind_int64(insert, at + 1, position.Partition));
        Check(raw.sqlite3_bind_int64(insert, at + 2, position.Position));
        var offset = at + 2;
        // Every bind copies (SQLITE_TRANSIENT), so the id and headers buffers can be reused for the next row.
        Span<byte> id = stackalloc byte[EventIds.Size];
        EventIds.Write(envelope.Id, id);
        Check(raw.sqlite3_bind_blob(insert, offset + 1, id));
        Check(raw.sqlite3_bind_text(insert, offset + 2, envelope.Type));
        Check(raw.sqlite3_bind_int64(insert, offset + 3, envelope.Version));
        Check(raw.sqlite3_bind_int64(insert, offset + 4, StoredTime.ToStored(envelope.OccurredAt)));
        Check(envelope.PartitionKey is null ? raw.sqlite3_bind_null(insert, offset + 5) : raw.sqlite3_bind_text(insert, offset + 5, envelope.PartitionKey));
        Check(envelope.Headers.Count == 0
            ? raw.sqlite3_bind_null(insert, offset + 6)
            : raw.sqlite3_bind_text(insert, offset + 6, HeadersJson.Write(envelope.Headers, _headers, _headersWriter)));
        // A zero-length span has no address, and binding a null address binds NULL: an empty payload is a zero-length blob.
        var payload = envelope.Payload.Span;
        Check(payload.IsEmpty ? raw.sqlite3_bind_zeroblob(insert, offset + 7, 0) : raw.sqlite3_bind_blob(insert, offset + 7, payload));
    }

    private void Check(int result)
    {
        if (result != SqliteOk)
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
    }
}
