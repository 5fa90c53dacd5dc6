using Herald.Durable;
using Herald.Sqlite.Storage;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite;

/// <summary>
/// The durable log in a SQLite database file: the embedded default of Herald. Register it with
/// <c>AddHerald(o =&gt; o.UseSqlite("Data Source=events.db"))</c> or from configuration (<c>Herald:Transport=Sqlite</c>).
/// Several processes on one machine may share the file: each partition of a consumer is then owned by one of them at
/// a time.
/// </summary>
/// <remarks>
/// <para><b>Connections.</b> The file is opened in WAL mode (readers never block the writer nor each other) with
/// <c>synchronous=NORMAL</c> unless <see cref="SqliteOptions.Synchronous"/> asks for <c>FULL</c>, and a busy timeout
/// (<see cref="SqliteOptions.BusyTimeout"/>). One writer connection appends; reads, commits, leases and administrative
/// writes use other connections from a small pool, one caller per connection. Every method is safe to call
/// concurrently. SQLite lets one transaction write at a time: the log's own writers queue on one in-process lock
/// before they begin, which hands the write lock over at once, and each waits for it up to the busy timeout; writers
/// in other processes meet SQLite's busy handler, also up to the busy timeout.</para>
/// <para><b>Partitions and positions.</b> The partition count is stored in the file when it is created. An append is one
/// <c>BEGIN IMMEDIATE</c> transaction that takes each partition's next positions from <c>herald_partitions</c>, so
/// positions of a partition increase by one per event in commit order, also across processes, and a failed batch
/// leaves nothing (and no gap). A read of a partition is one read transaction (one snapshot), on the
/// <c>(partition, type, position)</c> index when types are asked for.</para>
/// <para><b>Commits and the handler's transaction.</b> A consumer's commit checks, in its <c>BEGIN IMMEDIATE</c>
/// transaction, that the lease row still names the committer and its epoch (fencing), then writes the inbox marks, the
/// dead letter and the offset. A handler that asks for the transaction
/// (<see cref="DurableContext.GetTransactionAsync"/>) gets a <see cref="SqliteTransaction"/> begun with
/// <c>BEGIN IMMEDIATE</c> after waiting for the log's write lock: from then until its envelope completes, the log writer
/// and every other writer of the log wait for it (up to the busy timeout), so keep that part of the handler short, and
/// never wait in it for something that needs the log writer (a <c>Persisted</c> publish): that wait would end only by
/// the busy timeout. In exchange it may read and write freely through the transaction, and its writes commit with its
/// inbox mark, the batch's earlier pending marks and the offset.</para>
/// <para><b>Corrupt rows.</b> Reads never fail on a row's contents: a row whose columns cannot be read is returned as
/// an envelope of type <see cref="CorruptRowType"/> whose <see cref="CorruptRowReasonHeader"/> header says what is
/// wrong, so that a consumer dead-letters it and moves on. (A row whose type column cannot be read belongs to no
/// consumer: it is returned only by reads that ask for every type, such as <c>herald tail</c>.) A payload that is not
/// valid JSON is returned as stored.</para>
/// <para><b>Times</b> are stored in Unix milliseconds: an envelope read back has its
/// <see cref="EventEnvelope.OccurredAt"/> truncated to the millisecond.</para>
/// <para><b>A removed file.</b> On Unix a database file deleted while open keeps accepting writes that nobody will
/// ever read, so every write checks that the file is still there and fails (and is retried, then dead-lettered by the
/// log writer) when it is not.</para>
/// </remarks>
public sealed class SqliteEventLog : IEventLog, IRetentionPreview
{
    /// <summary>The transport name of this log.</summary>
    public const string TransportName = "Sqlite";

    /// <summary>
    /// The <see cref="EventEnvelope.Type"/> of an envelope read from a row whose columns cannot be read (a NULL or
    /// mistyped column, an id that is not 16 bytes, headers that are not a JSON object of strings, ...). No event is
    /// named so; consumers dead-letter it with the reason the <see cref="CorruptRowReasonHeader"/> header gives.
    /// </summary>
    public const string CorruptRowType = EventEnvelope.CorruptType;

    /// <summary>The header of a <see cref="CorruptRowType"/> envelope that says which columns could not be read.</summary>
    public const string CorruptRowReasonHeader = EventEnvelope.CorruptReasonHeader;

    private const int RetentionChunk = 5_000;

    private readonly LogFile _file;
    private readonly EventAppender _appender;
    private readonly SqliteStream _stream;
    private readonly SqliteCheckpoints _checkpoints;
    private readonly SqliteLeases _leases;
    private readonly SqliteDeadLetters _deadLetters;
    private readonly Checkpointer _checkpointer;

    /// <summary>Opens (and creates when missing) the log in the database that <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">For example <c>Data Source=events.db</c>.</param>
    public SqliteEventLog(string connectionString)
        : this(new SqliteOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens (and creates when missing) the log with <paramref name="options"/>.</summary>
    /// <param name="options">The connection string, the partition count of a new log, and the connection settings.</param>
    /// <exception cref="ArgumentException">The connection string or an option is not usable; the message says why.</exception>
    /// <exception cref="InvalidOperationException">
    /// The database cannot be opened or created, holds a newer schema, or was created with another partition count than
    /// <see cref="SqliteOptions.Partitions"/>; the message says what to fix.
    /// </exception>
    public SqliteEventLog(SqliteOptions options)
        : this(SqliteDatabase.Resolve(options), options.Partitions)
    {
    }

    internal SqliteEventLog(SqliteDatabase database, int? partitions)
    {
        if (partitions is { } asked)
            Partitioning.ValidateCount(asked, nameof(partitions));
        if (database.CreateIfMissing)
            database.EnsureFolder();
        else if (!File.Exists(database.Path))
            throw new InvalidOperationException(
                $"The database file '{database.Path}' does not exist. Check the path (a relative one is resolved against the current directory).");
        var writer = database.Open();
        int count;
        try
        {
            count = database.CreateIfMissing
                ? LogSchema.Ensure(writer, database.Path, partitions)
                : LogSchema.OpenExisting(writer, database.Path, partitions);
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
        var gate = new WriteGate(database.BusyTimeout, database.Path);
        _file = new LogFile(database, new ConnectionPool(database), gate, count);
        _appender = new EventAppender(writer, gate, count);
        _stream = new SqliteStream(_file, _appender);
        _checkpoints = new SqliteCheckpoints(_file);
        _leases = new SqliteLeases(_file);
        _deadLetters = new SqliteDeadLetters(_file);
        _checkpointer = new Checkpointer(_file);
    }

    /// <summary>The WAL's checkpoints, run off the commit path.</summary>
    internal Checkpointer WalCheckpointer => _checkpointer;

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath => _file.Database.Path;

    /// <inheritdoc />
    public string Transport => TransportName;

    /// <inheritdoc />
    public IEventStream Stream => _stream;

    /// <inheritdoc />
    public ICheckpointStore Checkpoints => _checkpoints;

    /// <inheritdoc />
    public ILeaseStore Leases => _leases;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    /// <remarks>
    /// Removes the oldest envelopes in append order over the whole log (so each partition loses a prefix and a consumer
    /// behind it is detected): those beyond <see cref="RetentionPolicy.MaxEvents"/>, and those before the first one that
    /// occurred within <see cref="RetentionPolicy.MaxAge"/>. Removes in chunks of a few thousand rows, each its own short
    /// transaction, so appends are not held up; also removes the inbox marks of removed envelopes whose id is neither
    /// retained nor dead-lettered.
    /// </remarks>
    public async ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (policy.KeepsEverything)
            return 0L;

        var upTo = _file.Read((connection, transaction) => RetentionCutoff(connection, transaction, policy, now));

        var removed = 0L;
        while (upTo > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (count, done) = await _file.WriteAsync((connection, transaction) =>
            {
                var chunk = connection.Command(Sql.ChunkEnd, transaction);
                chunk.Parameters.AddWithValue("$up_to", upTo);
                chunk.Parameters.AddWithValue("$chunk", RetentionChunk);
                if (chunk.ExecuteScalar() is not long chunkEnd)
                    return (0, true);
                var partitions = new List<(int Partition, long UpTo)>();
                var touched = connection.Command(Sql.ChunkPartitions, transaction);
                touched.Parameters.AddWithValue("$up_to", chunkEnd);
                using (var reader = touched.ExecuteReader())
                {
                    while (reader.Read())
                        partitions.Add((reader.GetInt32(0), reader.GetInt64(1)));
                }
                var remove = connection.Command(Sql.RemoveEvents, transaction);
                remove.Parameters.AddWithValue("$up_to", chunkEnd);
                var removedRows = remove.ExecuteNonQuery();
                foreach (var (partition, position) in partitions)
                {
                    var marks = connection.Command(Sql.RemoveInboxMarks, transaction);
                    marks.Parameters.AddWithValue("$partition", partition);
                    marks.Parameters.AddWithValue("$up_to", position);
                    marks.ExecuteNonQuery();
                }
                return (removedRows, chunkEnd >= upTo);
            }, cancellationToken).ConfigureAwait(false);
            removed += count;
            if (done)
                break;
        }
        return removed;
    }

    /// <inheritdoc />
    /// <remarks>Reads, in one snapshot, the same cut <see cref="ApplyRetentionAsync"/> computes, and per partition how far it reaches.</remarks>
    public ValueTask<IReadOnlyList<RetentionCut>> PreviewRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var cuts = new RetentionCut[_file.Partitions];
        for (var i = 0; i < cuts.Length; i++)
            cuts[i] = new RetentionCut(i, 0, 0);
        if (policy.KeepsEverything)
            return ValueTask.FromResult<IReadOnlyList<RetentionCut>>(cuts);
        _file.Read((connection, transaction) =>
        {
            var upTo = RetentionCutoff(connection, transaction, policy, now);
            if (upTo <= 0)
                return 0;
            var reach = connection.Command(Sql.RetentionReach, transaction);
            reach.Parameters.AddWithValue("$up_to", upTo);
            using var reader = reach.ExecuteReader();
            while (reader.Read())
            {
                var partition = reader.GetInt32(0);
                if (partition >= 0 && partition < cuts.Length)
                    cuts[partition] = new RetentionCut(partition, reader.GetInt64(1), reader.GetInt64(2));
            }
            return 0;
        });
        return ValueTask.FromResult<IReadOnlyList<RetentionCut>>(cuts);
    }

    // The append order (seq) up to which the policy removes envelopes at now; 0 when it removes none.
    private static long RetentionCutoff(LogConnection connection, SqliteTransaction transaction, RetentionPolicy policy, DateTimeOffset now)
    {
        var cut = 0L;
        if (policy.MaxEvents is { } maxEvents)
        {
            var cutoff = connection.Command(Sql.CountCutoff, transaction);
            cutoff.Parameters.AddWithValue("$keep", maxEvents);
            if (cutoff.ExecuteScalar() is long seq)
                cut = Math.Max(cut, seq);
        }
        if (policy.MaxAge is { } maxAge)
        {
            var firstYoung = connection.Command(Sql.FirstYoung, transaction);
            firstYoung.Parameters.AddWithValue("$time", StoredTime.AtOrAfter(now - maxAge));
            if (firstYoung.ExecuteScalar() is long seq)
                cut = Math.Max(cut, seq - 1);
            else if (connection.Command(Sql.MaxSeq, transaction).ExecuteScalar() is long last)
                cut = Math.Max(cut, last);
        }
        return cut;
    }

    /// <summary>Waits for an append in progress, checkpoints the WAL, then closes every connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_file.MarkDisposed())
            return;
        await _checkpointer.DisposeAsync().ConfigureAwait(false);
        _appender.Dispose();
        _file.Pool.Dispose();
    }
}
