using Herald.Durable;
using Herald.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite;

/// <summary>
/// The durable log in a SQLite database file: the embedded default of Herald. Register it with
/// <c>AddHerald(o =&gt; o.UseSqlite("Data Source=events.db"))</c> or from configuration (<c>Herald:Transport=Sqlite</c>).
/// </summary>
/// <remarks>
/// <para><b>Connections.</b> The file is opened in WAL mode (readers never block the writer nor each other) with
/// <c>synchronous=NORMAL</c> unless <see cref="SqliteOptions.Synchronous"/> asks for <c>FULL</c>, and a busy timeout
/// (<see cref="SqliteOptions.BusyTimeout"/>). One writer connection appends; reads, handling batches and
/// administrative writes use other connections from a small pool, one caller per connection. Every method is safe to
/// call concurrently. SQLite lets one transaction write at a time: the log's own writers (appends, consumer progress,
/// handler transactions, dead letters, offsets, retention) queue on one in-process lock before they begin, which hands
/// the write lock over at once, and each waits for it up to the busy timeout; writers in other processes meet SQLite's
/// busy handler, also up to the busy timeout.</para>
/// <para><b>Positions</b> are the rowid of <c>herald_events</c> (AUTOINCREMENT: never given twice). A batch is one
/// <c>BEGIN IMMEDIATE</c> transaction, so positions increase in commit order and a failed batch leaves nothing.</para>
/// <para><b>Handling batches</b> (<see cref="BeginHandlingAsync"/>): one inbox lookup per batch, and one transaction
/// that writes the batch's inbox marks and the offset. A handler that reads <see cref="IHandlingScope.Transaction"/>
/// (through <c>DurableContext.Current.Transaction</c>) gets a <see cref="SqliteTransaction"/> begun with
/// <c>BEGIN IMMEDIATE</c> at that first access, after waiting for the log's write lock: from then until its scope
/// completes, the log writer and every other writer of the log wait for it (up to the busy timeout), so keep that part
/// of the handler short, and never wait in it for something that needs the log writer (a <c>Persisted</c>
/// publish): that wait would end only by the busy timeout. In exchange it may read and write freely through the
/// transaction, and its writes commit with its inbox mark (and the batch's earlier pending marks and the
/// offset).</para>
/// <para><b>Corrupt rows.</b> Reads never fail on a row's contents: a row whose columns cannot be read is returned as
/// an envelope of type <see cref="CorruptRowType"/> whose <see cref="CorruptRowReasonHeader"/> header says what is
/// wrong, so that a consumer dead-letters it (no code handles that type) and moves on. A payload that is not valid
/// JSON is returned as stored.</para>
/// <para><b>Times</b> are stored in Unix milliseconds: an envelope read back has its
/// <see cref="EventEnvelope.OccurredAt"/> truncated to the millisecond.</para>
/// <para><b>A removed file.</b> On Unix a database file deleted while open keeps accepting writes that nobody will
/// ever read, so every write checks that the file is still there and fails (and is retried, then dead-lettered by the
/// log writer) when it is not.</para>
/// </remarks>
public sealed class SqliteEventLog : IEventLog
{
    /// <summary>The transport name of this log.</summary>
    public const string TransportName = "Sqlite";

    /// <summary>
    /// The <see cref="EventEnvelope.Type"/> of an envelope read from a row whose columns cannot be read (a NULL or
    /// mistyped column, an id that is not 16 bytes, headers that are not a JSON object of strings, ...). No event is
    /// named so; consumers dead-letter it with the reason the
    /// <see cref="CorruptRowReasonHeader"/> header gives (what is wrong with the row).
    /// </summary>
    public const string CorruptRowType = EventEnvelope.CorruptType;

    /// <summary>The header of a <see cref="CorruptRowType"/> envelope that says which columns could not be read.</summary>
    public const string CorruptRowReasonHeader = EventEnvelope.CorruptReasonHeader;

    private const int RetentionChunk = 5_000;

    private readonly SqliteDatabase _database;
    private readonly EventAppender _appender;
    private readonly ConnectionPool _pool;
    private readonly WriteGate _gate;
    private readonly Action _ensureDatabaseFileExists;
    private int _disposed;

    /// <summary>Opens (and creates when missing) the log in the database that <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">For example <c>Data Source=events.db</c>.</param>
    public SqliteEventLog(string connectionString)
        : this(new SqliteOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens (and creates when missing) the log with <paramref name="options"/>.</summary>
    /// <param name="options">The connection string and the connection settings.</param>
    /// <exception cref="ArgumentException">The connection string or an option is not usable; the message says why.</exception>
    /// <exception cref="InvalidOperationException">The database cannot be opened or created; the message says what to fix.</exception>
    public SqliteEventLog(SqliteOptions options)
        : this(SqliteDatabase.Resolve(options))
    {
    }

    internal SqliteEventLog(SqliteDatabase database)
    {
        _database = database;
        _ensureDatabaseFileExists = EnsureDatabaseFileExists;
        database.EnsureFolder();
        var writer = database.Open();
        try
        {
            LogSchema.Ensure(writer, database.Path);
        }
        catch (SqliteException exception)
        {
            writer.Dispose();
            throw database.Explain(exception) ?? throw new InvalidOperationException(
                $"Herald.Sqlite cannot prepare the database '{database.Path}': {exception.Message}", exception);
        }
        catch
        {
            writer.Dispose();
            throw;
        }
        _gate = new WriteGate(database.BusyTimeout, database.Path);
        _appender = new EventAppender(writer, _gate);
        _pool = new ConnectionPool(database);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _database.Path;

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfDisposed();
        return _appender.AppendAsync(batch, _ensureDatabaseFileExists, cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<EventEnvelope>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Rent();
        try
        {
            var command = connection.Command(Sql.ReadEvents);
            command.Parameters.AddWithValue("$after", afterPosition);
            command.Parameters.AddWithValue("$max", maxCount);
            var envelopes = new List<EventEnvelope>(Math.Min(maxCount, 256));
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                    envelopes.Add(EnvelopeRow.Read(reader, 0));
            }
            return ValueTask.FromResult<IReadOnlyList<EventEnvelope>>(envelopes);
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    public ValueTask<LogBounds> GetBoundsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Rent();
        try
        {
            using var reader = connection.Command(Sql.Bounds).ExecuteReader();
            reader.Read();
            var last = reader.IsDBNull(1) ? 0 : reader.GetInt64(1);
            var first = reader.IsDBNull(0) ? last + 1 : reader.GetInt64(0); // nothing retained: just past the last
            return ValueTask.FromResult(new LogBounds(first, last));
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    public ValueTask<long?> GetOffsetAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Rent();
        try
        {
            var command = connection.Command(Sql.GetOffset);
            command.Parameters.AddWithValue("$consumer", consumer);
            return ValueTask.FromResult(command.ExecuteScalar() is long offset ? offset : (long?)null);
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask SetOffsetAsync(string consumer, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Rent();
        try
        {
            using var gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            EnsureDatabaseFileExists();
            var command = connection.Command(Sql.SetOffset);
            command.Parameters.AddWithValue("$consumer", consumer);
            command.Parameters.AddWithValue("$position", position);
            command.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    /// <remarks>Compares with the stored time, which is in whole milliseconds.</remarks>
    public ValueTask<long> FindPositionAsync(DateTimeOffset time, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Rent();
        try
        {
            var find = connection.Command(Sql.FirstAtOrAfter);
            find.Parameters.AddWithValue("$time", StoredTime.AtOrAfter(time));
            if (find.ExecuteScalar() is long position)
                return ValueTask.FromResult(position - 1);
            return ValueTask.FromResult(connection.Command(Sql.LastPosition).ExecuteScalar() is long last ? last : 0);
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// The batch holds a connection of its own until it is disposed. A scope's <see cref="IHandlingScope.Transaction"/>
    /// is a <c>BEGIN IMMEDIATE</c> <see cref="SqliteTransaction"/> opened on first access (see the remarks of
    /// <see cref="SqliteEventLog"/>).
    /// </remarks>
    public ValueTask<IHandlingBatch> BeginHandlingAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(envelopes);
        for (var i = 0; i < envelopes.Count; i++)
        {
            if (envelopes[i] is not { Position: >= 1 })
                throw new ArgumentException($"The envelope at index {i} has no position: handle envelopes read from the log.", nameof(envelopes));
        }
        ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<IHandlingBatch>(SqliteHandlingBatch.Begin(this, _pool, _gate, consumer, envelopes));
    }

    /// <inheritdoc />
    public async ValueTask<long> AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(letter);
        ArgumentNullException.ThrowIfNull(letter.Envelope, nameof(letter));
        ArgumentException.ThrowIfNullOrWhiteSpace(letter.Reason, nameof(letter));
        if (letter.Consumer is not null)
            ArgumentException.ThrowIfNullOrWhiteSpace(letter.Consumer, nameof(letter));
        cancellationToken.ThrowIfCancellationRequested();
        var envelope = letter.Envelope;
        var connection = Rent();
        try
        {
            using var gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            using var transaction = connection.Connection.BeginTransaction(deferred: false);
            var add = connection.Command(Sql.AddDeadLetter, transaction);
            var parameters = add.Parameters;
            parameters.AddWithValue("$consumer", (object?)letter.Consumer ?? DBNull.Value);
            parameters.AddWithValue("$position", envelope.Position);
            parameters.AddWithValue("$id", EventIds.ToBytes(envelope.Id));
            parameters.AddWithValue("$type", envelope.Type);
            parameters.AddWithValue("$version", envelope.Version);
            parameters.AddWithValue("$occurred_at", StoredTime.ToStored(envelope.OccurredAt));
            parameters.AddWithValue("$partition_key", (object?)envelope.PartitionKey ?? DBNull.Value);
            parameters.AddWithValue("$headers", envelope.Headers.Count == 0 ? DBNull.Value : HeadersText(envelope.Headers));
            parameters.AddWithValue("$payload", envelope.Payload.ToArray());
            parameters.AddWithValue("$reason", letter.Reason);
            parameters.AddWithValue("$exception", (object?)letter.Exception ?? DBNull.Value);
            parameters.AddWithValue("$attempts", letter.Attempts);
            parameters.AddWithValue("$at", StoredTime.ToStored(letter.DeadLetteredAt));
            var id = (long)add.ExecuteScalar()!;
            if (letter.Consumer is not null)
            {
                var offset = connection.Command(Sql.SetOffset, transaction);
                offset.Parameters.AddWithValue("$consumer", letter.Consumer);
                offset.Parameters.AddWithValue("$position", envelope.Position);
                offset.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
                offset.ExecuteNonQuery();
            }
            EnsureDatabaseFileExists();
            transaction.Commit();
            return id;
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? consumer, int maxCount, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCount);
        cancellationToken.ThrowIfCancellationRequested();
        if (maxCount == 0)
            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>([]);
        var connection = Rent();
        try
        {
            var command = connection.Command(consumer is null ? Sql.ListDeadLetters : Sql.ListConsumerDeadLetters);
            if (consumer is not null)
                command.Parameters.AddWithValue("$consumer", consumer);
            command.Parameters.AddWithValue("$max", maxCount);
            var letters = new List<DeadLetter>();
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    var deadLetteredAt = reader.IsDBNull(5) || !StoredTime.TryRead(reader.GetInt64(5), out var at) ? DateTimeOffset.UnixEpoch : at;
                    letters.Add(new DeadLetter(
                        reader.GetInt64(0),
                        reader.IsDBNull(1) ? null : reader.GetString(1),
                        EnvelopeRow.Read(reader, Sql.DeadLetterEnvelopeOrdinal),
                        reader.IsDBNull(2) ? string.Empty : reader.GetString(2),
                        reader.IsDBNull(3) ? null : reader.GetString(3),
                        reader.IsDBNull(4) ? 0 : reader.GetInt32(4),
                        deadLetteredAt));
                }
            }
            return ValueTask.FromResult<IReadOnlyList<DeadLetter>>(letters);
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    public async ValueTask<bool> DeleteDeadLetterAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var connection = Rent();
        try
        {
            using var gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
            EnsureDatabaseFileExists();
            var command = connection.Command(Sql.DeleteDeadLetter);
            command.Parameters.AddWithValue("$id", id);
            return command.ExecuteNonQuery() > 0;
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Removes the oldest envelopes in log order: those beyond <see cref="RetentionPolicy.MaxEvents"/>, and those
    /// before the first one (in log order) that occurred within <see cref="RetentionPolicy.MaxAge"/>, so the retained
    /// envelopes stay one unbroken range and a consumer behind it is detected rather than silently skipped. Removes in
    /// chunks of a few thousand rows, each its own short transaction, so appends are not held up; also removes the
    /// inbox marks of removed envelopes whose id is neither retained nor dead-lettered.
    /// </remarks>
    public async ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxEvents is < 0)
            throw new ArgumentOutOfRangeException(nameof(policy), policy.MaxEvents, "RetentionPolicy.MaxEvents cannot be negative.");
        if (policy.MaxAge < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(policy), policy.MaxAge, "RetentionPolicy.MaxAge cannot be negative.");
        cancellationToken.ThrowIfCancellationRequested();
        if (policy.KeepsEverything)
            return 0L;

        var connection = Rent();
        try
        {
            var upTo = 0L;
            if (policy.MaxEvents is { } maxEvents)
            {
                var cutoff = connection.Command(Sql.CountCutoff);
                cutoff.Parameters.AddWithValue("$keep", maxEvents);
                if (cutoff.ExecuteScalar() is long position)
                    upTo = Math.Max(upTo, position);
            }
            if (policy.MaxAge is { } maxAge)
            {
                var firstYoung = connection.Command(Sql.FirstAtOrAfter);
                firstYoung.Parameters.AddWithValue("$time", StoredTime.AtOrAfter(DateTimeOffset.UtcNow - maxAge));
                if (firstYoung.ExecuteScalar() is long position)
                    upTo = Math.Max(upTo, position - 1);
                else if (connection.Command(Sql.MaxPosition).ExecuteScalar() is long last)
                    upTo = Math.Max(upTo, last);
            }

            var removed = 0L;
            while (upTo > 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var gate = await _gate.EnterAsync(cancellationToken).ConfigureAwait(false);
                using var transaction = connection.Connection.BeginTransaction(deferred: false);
                var chunk = connection.Command(Sql.ChunkEnd, transaction);
                chunk.Parameters.AddWithValue("$up_to", upTo);
                chunk.Parameters.AddWithValue("$chunk", RetentionChunk);
                if (chunk.ExecuteScalar() is not long chunkEnd)
                    break;
                var remove = connection.Command(Sql.RemoveEvents, transaction);
                remove.Parameters.AddWithValue("$up_to", chunkEnd);
                var count = remove.ExecuteNonQuery();
                var marks = connection.Command(Sql.RemoveInboxMarks, transaction);
                marks.Parameters.AddWithValue("$up_to", chunkEnd);
                marks.ExecuteNonQuery();
                EnsureDatabaseFileExists();
                transaction.Commit();
                removed += count;
                if (chunkEnd >= upTo)
                    break;
            }
            return removed;
        }
        finally
        {
            _pool.Return(connection);
        }
    }

    /// <summary>Waits for an append in progress, then closes every connection.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return ValueTask.CompletedTask;
        _appender.Dispose();
        _pool.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Refuses to write into a database file that was deleted while open (its writes would never be read).</summary>
    internal void EnsureDatabaseFileExists()
    {
        if (!File.Exists(_database.Path))
            throw new IOException(
                $"The database file '{_database.Path}' was removed while the log had it open; what would be written now " +
                "could never be read. Nothing was committed. Restore the file, or restart the app to create a new one.");
    }

    private LogConnection Rent()
    {
        ThrowIfDisposed();
        return _pool.Rent();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static string HeadersText(IReadOnlyDictionary<string, string> headers)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using var writer = new System.Text.Json.Utf8JsonWriter(buffer);
        return System.Text.Encoding.UTF8.GetString(HeadersJson.Write(headers, buffer, writer));
    }
}
