using Npgsql;

namespace Herald.Postgres.Storage;

/// <summary>
/// What the parts of one <see cref="PostgresEventLog"/> share: the data source (Npgsql's connection pool), the
/// statements of its schema, its partition count, and how its failures are told apart and described. Messages name
/// the server as <see cref="Where"/> (host, port, database, user), never the connection string.
/// </summary>
internal sealed class PostgresDatabase : IAsyncDisposable
{
    private int _disposed;

    public PostgresDatabase(PostgresOptions options, NpgsqlConnectionStringBuilder builder, int partitions)
    {
        Options = options;
        Builder = builder;
        Schema = options.Schema;
        Sql = new Sql(options.Schema);
        Partitions = partitions;
        Where = ConnectionStrings.Describe(builder);
        DataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public PostgresOptions Options { get; }

    public NpgsqlConnectionStringBuilder Builder { get; }

    public NpgsqlDataSource DataSource { get; }

    public string Schema { get; }

    public Sql Sql { get; }

    public int Partitions { get; }

    /// <summary>The server and database, for messages: <c>host:port/database as user</c>.</summary>
    public string Where { get; }

    public bool IsDisposed => Volatile.Read(ref _disposed) != 0;

    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, typeof(PostgresEventLog));

    public void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= Partitions)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The log has partitions 0 to {Partitions - 1}.");
    }

    public async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        return await DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> on a pooled connection.</summary>
    public async ValueTask<T> RunAsync<T>(Func<NpgsqlConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await work(connection, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs <paramref name="work"/> in a transaction of its own and commits it.</summary>
    public async ValueTask<T> InTransactionAsync<T>(Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var result = await work(connection, transaction, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// Whether <paramref name="exception"/> says the server could not be reached or dropped the connection (a restart,
    /// a failover, <c>pg_terminate_backend</c>), so the same work may succeed on a new connection.
    /// </summary>
    public static bool IsConnectionFailure(Exception exception) => exception switch
    {
        PostgresException postgres => postgres.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
                                      || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal) // admin/crash shutdown, cannot connect now
                                      || postgres.SqlState == "53300", // too many connections
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException,
        IOException or System.Net.Sockets.SocketException or TimeoutException => true,
        _ => false,
    };

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        await DataSource.DisposeAsync().ConfigureAwait(false);
    }
}
