using Herald.Durable;
using Herald.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite;

/// <summary>
/// One consumer handling one read batch on a connection of its own. The inbox is looked up once for the batch (a few
/// statements of <see cref="InboxChunk"/> ids each); completed envelopes leave their marks pending, and
/// <see cref="CommitAsync"/> writes them and the offset in one <c>BEGIN IMMEDIATE</c> transaction. A handler that
/// reads <see cref="IHandlingScope.Transaction"/> gets a <c>BEGIN IMMEDIATE</c> transaction opened for it under the
/// log's write gate; its scope's completion writes the pending marks, its own mark and the offset into that
/// transaction and commits, so the handler's writes and the marks that guard them commit together.
/// </summary>
internal sealed class SqliteHandlingBatch : IHandlingBatch
{
    /// <summary>How many ids one inbox lookup statement takes (a short chunk is padded by repeating an id).</summary>
    internal const int InboxChunk = 64;

    private static readonly string s_inboxLookup =
        "SELECT event_id FROM herald_inbox WHERE consumer = $consumer AND event_id IN ("
        + string.Join(", ", Enumerable.Range(0, InboxChunk).Select(i => $"$id{i}")) + ");";

    private static readonly string[] s_idParameters = [.. Enumerable.Range(0, InboxChunk).Select(i => $"$id{i}")];

    private readonly SqliteEventLog _log;
    private readonly ConnectionPool _pool;
    private readonly WriteGate _gate;
    private readonly string _consumer;
    private readonly HashSet<Guid> _handled;
    private readonly List<(Guid Id, long Position)> _pending = [];
    private LogConnection? _connection;
    private Scope? _current;
    private long _offset = -1;

    private SqliteHandlingBatch(SqliteEventLog log, ConnectionPool pool, WriteGate gate, LogConnection connection, string consumer, HashSet<Guid> handled)
    {
        _log = log;
        _pool = pool;
        _gate = gate;
        _connection = connection;
        _consumer = consumer;
        _handled = handled;
    }

    public static SqliteHandlingBatch Begin(SqliteEventLog log, ConnectionPool pool, WriteGate gate, string consumer, IReadOnlyList<EventEnvelope> envelopes)
    {
        var connection = pool.Rent();
        try
        {
            var handled = LookUpInbox(connection, consumer, envelopes);
            return new SqliteHandlingBatch(log, pool, gate, connection, consumer, handled);
        }
        catch
        {
            connection.Broken = connection.InTransaction;
            pool.Return(connection);
            throw;
        }
    }

    public ValueTask<IHandlingScope> BeginAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var connection = _connection;
        ObjectDisposedException.ThrowIf(connection is null, this);
        if (_current is not null)
            throw new InvalidOperationException("The previous envelope's handling scope is still open: complete or dispose it first.");
        cancellationToken.ThrowIfCancellationRequested();
        _current = new Scope(this, connection, envelope, _handled.Contains(envelope.Id));
        return ValueTask.FromResult<IHandlingScope>(_current);
    }

    public void Skip(EventEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        _offset = Math.Max(_offset, envelope.Position);
    }

    public async ValueTask CommitAsync(CancellationToken cancellationToken)
    {
        var connection = _connection;
        ObjectDisposedException.ThrowIf(connection is null, this);
        if (_current is not null)
            throw new InvalidOperationException("An envelope's handling scope is still open: complete or dispose it first.");
        cancellationToken.ThrowIfCancellationRequested();
        if (_offset < 0)
            return; // nothing pending
        using (await _gate.EnterAsync(cancellationToken).ConfigureAwait(false))
        {
            using var transaction = connection.Connection.BeginTransaction(deferred: false);
            WriteProgress(connection, transaction, _offset);
            transaction.Commit();
        }
        Committed();
    }

    public async ValueTask DisposeAsync()
    {
        if (_current is { } current)
            await current.DisposeAsync().ConfigureAwait(false);
        var connection = _connection;
        if (connection is null)
            return;
        _connection = null;
        _pending.Clear();
        _pool.Return(connection); // a connection still in a transaction is closed, which rolls it back
    }

    private static HashSet<Guid> LookUpInbox(LogConnection connection, string consumer, IReadOnlyList<EventEnvelope> envelopes)
    {
        var handled = new HashSet<Guid>();
        for (var start = 0; start < envelopes.Count; start += InboxChunk)
        {
            var lookup = connection.Command(s_inboxLookup);
            lookup.Parameters.AddWithValue("$consumer", consumer);
            for (var i = 0; i < InboxChunk; i++)
            {
                // Pad a short chunk with its first id: one statement shape, prepared once per connection.
                var envelope = envelopes[start + i < envelopes.Count ? start + i : start];
                lookup.Parameters.AddWithValue(s_idParameters[i], EventIds.ToBytes(envelope.Id));
            }
            using var reader = lookup.ExecuteReader();
            while (reader.Read())
            {
                if (!reader.IsDBNull(0) && reader.GetFieldValue<byte[]>(0) is { Length: EventIds.Size } id)
                    handled.Add(EventIds.Read(id));
            }
        }
        return handled;
    }

    /// <summary>The pending marks (and <paramref name="also"/>) and the offset, into <paramref name="transaction"/>.</summary>
    private void WriteProgress(LogConnection connection, SqliteTransaction transaction, long offset, (Guid Id, long Position)? also = null)
    {
        if (_pending.Count > 0 || also is not null)
        {
            var mark = connection.Command(Sql.MarkInbox, transaction);
            mark.Parameters.AddWithValue("$consumer", _consumer);
            var id = mark.Parameters.Add("$id", SqliteType.Blob);
            var position = mark.Parameters.Add("$position", SqliteType.Integer);
            foreach (var (pendingId, pendingPosition) in _pending)
            {
                id.Value = EventIds.ToBytes(pendingId);
                position.Value = pendingPosition;
                mark.ExecuteNonQuery();
            }
            if (also is { } extra)
            {
                id.Value = EventIds.ToBytes(extra.Id);
                position.Value = extra.Position;
                mark.ExecuteNonQuery();
            }
        }

        var setOffset = connection.Command(Sql.SetOffset, transaction);
        setOffset.Parameters.AddWithValue("$consumer", _consumer);
        setOffset.Parameters.AddWithValue("$position", offset);
        setOffset.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        setOffset.ExecuteNonQuery();

        _log.EnsureDatabaseFileExists();
    }

    private void Committed()
    {
        _pending.Clear();
        _offset = -1;
    }

    private void Completed(EventEnvelope envelope)
    {
        _pending.Add((envelope.Id, envelope.Position));
        _handled.Add(envelope.Id);
        _offset = Math.Max(_offset, envelope.Position);
    }

    private sealed class Scope(SqliteHandlingBatch batch, LogConnection connection, EventEnvelope envelope, bool alreadyHandled) : IHandlingScope
    {
        private SqliteTransaction? _transaction;
        private WriteGate.Held? _held;
        private bool _done;

        public bool AlreadyHandled => alreadyHandled;

        /// <summary>Opens, on first access, a <c>BEGIN IMMEDIATE</c> <see cref="SqliteTransaction"/> under the write gate.</summary>
        public object? Transaction
        {
            get
            {
                if (_done)
                    throw new InvalidOperationException("This handling scope is completed or disposed; its transaction is gone.");
                if (_transaction is null)
                {
                    var held = batch._gate.Enter();
                    try
                    {
                        _transaction = connection.Connection.BeginTransaction(deferred: false);
                    }
                    catch
                    {
                        held.Dispose();
                        throw;
                    }
                    _held = held;
                }
                return _transaction;
            }
        }

        public ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            if (_done)
                throw new InvalidOperationException("This handling scope was already completed.");
            cancellationToken.ThrowIfCancellationRequested();
            if (_transaction is not { } transaction)
            {
                _done = true;
                batch._current = null;
                batch.Completed(envelope);
                return ValueTask.CompletedTask;
            }

            if (transaction.Connection is null || !connection.InTransaction)
            {
                // The handler ended the transaction itself: its writes are already decided; the marks still commit
                // together, in a transaction of their own (the gate is still held).
                transaction.Dispose();
                transaction = _transaction = connection.Connection.BeginTransaction(deferred: false);
            }
            var offset = Math.Max(batch._offset, envelope.Position);
            batch.WriteProgress(connection, transaction, offset, (envelope.Id, envelope.Position));
            transaction.Commit();
            batch._handled.Add(envelope.Id);
            batch.Committed();
            _done = true;
            Release();
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            _done = true;
            if (batch._current == this)
                batch._current = null;
            Release();
            return ValueTask.CompletedTask;
        }

        private void Release()
        {
            try
            {
                _transaction?.Dispose(); // rolls back unless committed
            }
            catch (Exception exception) when (exception is SqliteException or InvalidOperationException)
            {
                connection.Broken = true;
            }
            finally
            {
                _transaction = null;
                _held?.Dispose();
                _held = null;
                batch._current = batch._current == this ? null : batch._current;
            }
        }
    }
}
