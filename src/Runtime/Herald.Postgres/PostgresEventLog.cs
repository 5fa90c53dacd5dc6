using Herald.Durable;
using Herald.Postgres.Storage;
using Npgsql;

namespace Herald.Postgres;

/// <summary>
/// The durable log in a PostgreSQL database: app instances on several machines share it. Register it with
/// <c>AddHerald(o =&gt; o.UsePostgres("Host=db;Database=app;..."))</c> or from configuration
/// (<c>Herald:Transport=Postgres</c>). Each partition of a consumer is owned by one instance at a time.
/// </summary>
/// <remarks>
/// <para><b>Tables.</b> In <see cref="PostgresOptions.Schema"/> (default <c>herald</c>), created on first use,
/// idempotently, by one instance under an advisory lock when several start at once, and versioned (a newer schema is
/// refused with a message to update the package). See the schema's documentation in docs/durable.md. With
/// <see cref="PostgresOptions.CreateIfMissing"/> false (tools), nothing is created: only an existing log opens.</para>
/// <para><b>Appends and reads.</b> Positions of a partition are taken under the partition row's lock inside the append
/// transaction, so they become visible in position order: a read never skips an event that commits later (see
/// <see cref="PostgresStream"/> for why this and not a snapshot fence). The log writer's append is one round trip
/// (one implicit transaction); it retries on a new connection while the server restarts
/// (<see cref="PostgresOptions.ReconnectTimeout"/>). A read is one statement: one snapshot for the envelopes and the
/// bounds.</para>
/// <para><b>Wake-ups.</b> Every append sends a NOTIFY in its transaction (delivered after commit); a dedicated connection
/// LISTENs and wakes this process's consumers of the partitions appended to, reconnecting when it drops. Polling stays
/// as the fallback.</para>
/// <para><b>Commits and the handler's transaction.</b> A consumer's commit takes the lease row <c>FOR SHARE</c> where it
/// still names the committer and its epoch (fencing), then writes marks, dead letter and offset in the same
/// transaction. A handler that asks for the transaction (<see cref="DurableContext.GetTransactionAsync"/>) gets an
/// <see cref="NpgsqlTransaction"/> on a connection of the log's pool: its writes commit with its inbox mark and the
/// offset. Unlike SQLite, it blocks no other writer (only rows it touches).</para>
/// <para><b>The outbox.</b> <c>bus.Enlist(npgsqlTransaction)</c> appends in the app's transaction on the same database
/// (see <see cref="PostgresStream"/>): publish last, just before the commit.</para>
/// <para><b>Secrets.</b> The connection string never appears in a message: errors name host, port, database and user.</para>
/// </remarks>
public sealed class PostgresEventLog : IEventLog, IAppendNotifications, IRetentionPreview
{
    /// <summary>The transport name of this log.</summary>
    public const string TransportName = "Postgres";

    /// <summary>The <see cref="EventEnvelope.Type"/> of an envelope read from a row that cannot be read.</summary>
    public const string CorruptRowType = EventEnvelope.CorruptType;

    /// <summary>The header of a <see cref="CorruptRowType"/> envelope that says what could not be read.</summary>
    public const string CorruptRowReasonHeader = EventEnvelope.CorruptReasonHeader;

    private readonly PostgresDatabase _database;
    private readonly PostgresStream _stream;
    private readonly PostgresCheckpoints _checkpoints;
    private readonly PostgresLeases _leases;
    private readonly PostgresDeadLetters _deadLetters;
    private readonly AppendListener? _listener;

    /// <summary>Opens (and creates when missing) the log in the database that <paramref name="connectionString"/> names.</summary>
    /// <param name="connectionString">For example <c>Host=db;Database=app;Username=app;Password=...</c>.</param>
    public PostgresEventLog(string connectionString)
        : this(new PostgresOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>Opens (and creates when missing) the log with <paramref name="options"/>; blocks while it connects.</summary>
    /// <param name="options">The connection string, the schema, the partition count of a new log.</param>
    /// <exception cref="ArgumentException">The connection string, the schema or an option is not usable; the message says why.</exception>
    /// <exception cref="InvalidOperationException">
    /// The server cannot be reached, the tables cannot be created, the schema is newer, or the log was created with
    /// another partition count than <see cref="PostgresOptions.Partitions"/>; the message says what to fix.
    /// </exception>
    public PostgresEventLog(PostgresOptions options)
        : this(Open(options, CancellationToken.None).GetAwaiter().GetResult())
    {
    }

    private PostgresEventLog(PostgresDatabase database)
    {
        _database = database;
        _stream = new PostgresStream(database);
        _checkpoints = new PostgresCheckpoints(database);
        _leases = new PostgresLeases(database);
        _deadLetters = new PostgresDeadLetters(database);
        if (database.Options.Notifications)
        {
            _listener = new AppendListener(database);
            _stream.AppendedOn = _listener.OwnBackend;
        }
    }

    /// <summary>Opens (and creates when missing) the log with <paramref name="options"/>, without blocking.</summary>
    /// <inheritdoc cref="PostgresEventLog(PostgresOptions)"/>
    public static async Task<PostgresEventLog> OpenAsync(PostgresOptions options, CancellationToken cancellationToken = default)
        => new(await Open(options, cancellationToken).ConfigureAwait(false));

    /// <summary>The schema that holds the log's tables.</summary>
    public string Schema => _database.Schema;

    /// <summary>Whether the LISTEN connection is up (false before the first consumer subscribed, or while it reconnects).</summary>
    internal bool IsListening => _listener?.IsListening ?? false;

    /// <summary>The log's own connection pool.</summary>
    internal Npgsql.NpgsqlDataSource DataSource => _database.DataSource;

    /// <summary>The server process of the LISTEN connection, 0 while it is down.</summary>
    internal int ListenerProcessId => _listener?.ProcessId ?? 0;

    /// <summary>How many times the LISTEN connection was opened.</summary>
    internal int ListenerConnections => _listener?.Connections ?? 0;

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
    /// <remarks>Without <see cref="PostgresOptions.Notifications"/> nothing is ever called (consumers poll).</remarks>
    public IDisposable Subscribe(Action<int> appended)
    {
        ArgumentNullException.ThrowIfNull(appended);
        _database.ThrowIfDisposed();
        return _listener?.Subscribe(appended) ?? NoSubscription.Instance;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One statement: the page, each envelope's inbox mark of the lease's consumer (an <c>EXISTS</c> on the inbox's
    /// key) and the partition's lease row, from one snapshot and in one round trip, where the parts would take three.
    /// </remarks>
    public ValueTask<ConsumerPage> ReadForConsumerAsync(
        LeaseToken lease, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
        => _stream.ReadForConsumerAsync(lease, afterPosition, maxCount, types, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// Removes the oldest envelopes in append order over the whole log (so each partition loses a prefix and a consumer
    /// behind it is detected): those beyond <see cref="RetentionPolicy.MaxEvents"/>, and those before the first one that
    /// occurred within <see cref="RetentionPolicy.MaxAge"/>. Removes in chunks of a few thousand rows, each its own short
    /// transaction (appends are not held up: they lock only the partitions' rows), with the inbox marks of removed
    /// envelopes whose id is neither retained nor dead-lettered.
    /// </remarks>
    public async ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (policy.KeepsEverything)
            return 0L;
        var sql = _database.Sql;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var upTo = await RetentionCutoffAsync(connection, policy, now, cancellationToken).ConfigureAwait(false);

        var removed = 0L;
        while (upTo > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            long chunkEnd;
            await using (var chunk = new NpgsqlCommand(sql.ChunkEnd, connection, transaction))
            {
                chunk.Parameters.Add(new NpgsqlParameter { Value = upTo });
                chunk.Parameters.Add(new NpgsqlParameter { Value = Sql.RetentionChunk });
                if (await chunk.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not long end)
                    break;
                chunkEnd = end;
            }
            var partitions = new List<(int Partition, long UpTo)>();
            await using (var remove = new NpgsqlCommand(sql.RemoveChunk, connection, transaction))
            {
                remove.Parameters.Add(new NpgsqlParameter { Value = chunkEnd });
                await using var reader = await remove.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    partitions.Add((reader.GetInt32(0), reader.GetInt64(1)));
                    removed += reader.GetInt64(2);
                }
            }
            foreach (var (partition, position) in partitions)
            {
                await using var marks = new NpgsqlCommand(sql.RemoveInboxMarks, connection, transaction);
                marks.Parameters.Add(new NpgsqlParameter { Value = partition });
                marks.Parameters.Add(new NpgsqlParameter { Value = position });
                await marks.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (chunkEnd >= upTo)
                break;
        }
        return removed;
    }

    /// <inheritdoc />
    /// <remarks>The same cutoff as <see cref="ApplyRetentionAsync"/>, counted per partition in one read.</remarks>
    public async ValueTask<IReadOnlyList<RetentionCut>> PreviewRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var cuts = new RetentionCut[_database.Partitions];
        for (var i = 0; i < cuts.Length; i++)
            cuts[i] = new RetentionCut(i, 0, 0);
        if (policy.KeepsEverything)
            return cuts;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        var upTo = await RetentionCutoffAsync(connection, policy, now, cancellationToken).ConfigureAwait(false);
        if (upTo <= 0)
            return cuts;
        await using var reach = new NpgsqlCommand(_database.Sql.RetentionReach, connection);
        reach.Parameters.Add(new NpgsqlParameter { Value = upTo });
        await using var reader = await reach.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var partition = reader.GetInt32(0);
            if (partition >= 0 && partition < cuts.Length)
                cuts[partition] = new RetentionCut(partition, reader.GetInt64(1), reader.GetInt64(2));
        }
        return cuts;
    }

    // The append order (seq) up to which the policy removes envelopes at now; 0 when it removes none.
    private async ValueTask<long> RetentionCutoffAsync(NpgsqlConnection connection, RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var sql = _database.Sql;
        var upTo = 0L;
        if (policy.MaxEvents is { } maxEvents)
        {
            await using var cutoff = new NpgsqlCommand(sql.CountCutoff, connection);
            cutoff.Parameters.Add(new NpgsqlParameter { Value = maxEvents });
            if (await cutoff.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq)
                upTo = Math.Max(upTo, seq);
        }
        if (policy.MaxAge is { } maxAge)
        {
            await using var firstYoung = new NpgsqlCommand(sql.FirstYoung, connection);
            firstYoung.Parameters.Add(new NpgsqlParameter { Value = StoredTime.AtOrAfter(now - maxAge) });
            if (await firstYoung.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long seq)
                upTo = Math.Max(upTo, seq - 1);
            else
            {
                await using var max = new NpgsqlCommand(sql.MaxSeq, connection);
                if (await max.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long last)
                    upTo = Math.Max(upTo, last);
            }
        }
        return upTo;
    }

    /// <summary>Stops listening and closes every connection of the log.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_database.IsDisposed)
            return;
        if (_listener is not null)
            await _listener.DisposeAsync().ConfigureAwait(false);
        await _database.DisposeAsync().ConfigureAwait(false);
    }

    private static async Task<PostgresDatabase> Open(PostgresOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var checkedOptions = options.Clone();
        var builder = ConnectionStrings.Parse(checkedOptions.ConnectionString, nameof(options));
        SchemaName.Validate(checkedOptions.Schema, nameof(options));
        if (checkedOptions.Partitions is { } asked)
            Partitioning.ValidateCount(asked, nameof(options));
        if (checkedOptions.ReconnectTimeout < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), checkedOptions.ReconnectTimeout, "PostgresOptions.ReconnectTimeout cannot be negative.");
        var where = ConnectionStrings.Describe(builder);
        int partitions;
        try
        {
            // Not pooled: a one-off connection from Npgsql's global pool could be one a server restart ended since
            // an earlier open with this connection string, and the open would fail on it (seen by ServerRestartTests).
            await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(builder.ConnectionString) { Pooling = false }.ConnectionString);
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            partitions = checkedOptions.CreateIfMissing
                ? await LogSchema.EnsureAsync(connection, checkedOptions.Schema, where, checkedOptions.Partitions, cancellationToken).ConfigureAwait(false)
                : await LogSchema.OpenExistingAsync(connection, checkedOptions.Schema, where, checkedOptions.Partitions, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException exception)
        {
            throw new InvalidOperationException(
                $"Herald.Postgres cannot prepare the schema '{checkedOptions.Schema}' in {where}: {exception.SqlState}: {exception.MessageText}" +
                (exception.SqlState == "42501" ? " (the user needs CREATE on the database, or an administrator creates the schema and grants it)." : "."),
                exception);
        }
        catch (NpgsqlException exception)
        {
            throw new InvalidOperationException($"Herald.Postgres cannot reach {where}: {exception.Message}", exception);
        }
        catch (Exception exception) when (exception is System.Net.Sockets.SocketException or IOException or TimeoutException)
        {
            throw new InvalidOperationException($"Herald.Postgres cannot reach {where}: {exception.Message}", exception);
        }
        return new PostgresDatabase(checkedOptions, builder, partitions);
    }

    private sealed class NoSubscription : IDisposable
    {
        public static readonly NoSubscription Instance = new();

        public void Dispose()
        {
        }
    }
}
