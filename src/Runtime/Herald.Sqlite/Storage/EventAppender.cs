using System.Buffers;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Herald.Sqlite.Storage;

/// <summary>
/// The log's one writer connection. Appends are serialized; each batch is one <c>BEGIN IMMEDIATE</c> transaction
/// through one INSERT statement prepared once, its payload bound straight from the envelope's memory, and each
/// position read back with <c>last_insert_rowid()</c>. Holding the write lock from the first row to the commit is
/// what makes positions increase in commit order.
/// </summary>
internal sealed class EventAppender : IDisposable
{
    private const string Insert =
        "INSERT INTO herald_events (id, type, version, occurred_at, partition_key, headers, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7);";

    private const int SqliteOk = 0;
    private const int SqliteDone = 101;

    private readonly SqliteConnection _connection;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> _headers = new(256);
    private readonly Utf8JsonWriter _headersWriter;
    private sqlite3_stmt? _insert;
    private bool _disposed;

    public EventAppender(SqliteConnection connection)
    {
        _connection = connection;
        _headersWriter = new Utf8JsonWriter(_headers);
    }

    /// <summary>Appends <paramref name="batch"/> in one transaction; <paramref name="beforeCommit"/> may still refuse it.</summary>
    public async ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventEnvelope> batch, Action beforeCommit, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
            return [];
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, typeof(SqliteEventLog));
            cancellationToken.ThrowIfCancellationRequested();
            var positions = new long[batch.Count];
            using var transaction = _connection.BeginTransaction(deferred: false);
            var db = _connection.Handle!;
            var insert = _insert ??= Prepare(db);
            for (var i = 0; i < batch.Count; i++)
            {
                var envelope = batch[i] ?? throw new ArgumentException($"The batch holds null at index {i}.", nameof(batch));
                Bind(insert, envelope);
                var result = raw.sqlite3_step(insert);
                raw.sqlite3_reset(insert);
                if (result != SqliteDone)
                    SqliteException.ThrowExceptionForRC(result, db);
                positions[i] = raw.sqlite3_last_insert_rowid(db);
            }
            raw.sqlite3_clear_bindings(insert);
            // Past this point the batch commits or fails as a whole; cancellation no longer applies.
            cancellationToken.ThrowIfCancellationRequested();
            beforeCommit();
            transaction.Commit();
            return positions;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed)
                return;
            _disposed = true;
            _insert?.Dispose();
            _headersWriter.Dispose();
            _connection.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 db)
    {
        var result = raw.sqlite3_prepare_v2(db, Insert, out var statement);
        if (result != SqliteOk || statement is null)
        {
            statement?.Dispose();
            SqliteException.ThrowExceptionForRC(result, db);
            throw new InvalidOperationException("SQLite prepared no statement for the append.");
        }
        return statement;
    }

    private void Bind(sqlite3_stmt insert, EventEnvelope envelope)
    {
        Span<byte> id = stackalloc byte[EventIds.Size];
        EventIds.Write(envelope.Id, id);
        Check(raw.sqlite3_bind_blob(insert, 1, id));
        Check(raw.sqlite3_bind_text(insert, 2, envelope.Type));
        Check(raw.sqlite3_bind_int64(insert, 3, envelope.Version));
        Check(raw.sqlite3_bind_int64(insert, 4, StoredTime.ToStored(envelope.OccurredAt)));
        Check(envelope.PartitionKey is null ? raw.sqlite3_bind_null(insert, 5) : raw.sqlite3_bind_text(insert, 5, envelope.PartitionKey));
        Check(envelope.Headers.Count == 0
            ? raw.sqlite3_bind_null(insert, 6)
            : raw.sqlite3_bind_text(insert, 6, HeadersJson.Write(envelope.Headers, _headers, _headersWriter)));
        // A zero-length span has no address, and binding a null address binds NULL: an empty payload is a zero-length blob.
        var payload = envelope.Payload.Span;
        Check(payload.IsEmpty ? raw.sqlite3_bind_zeroblob(insert, 7, 0) : raw.sqlite3_bind_blob(insert, 7, payload));
    }

    private void Check(int result)
    {
        if (result != SqliteOk)
            SqliteException.ThrowExceptionForRC(result, _connection.Handle);
    }
}
