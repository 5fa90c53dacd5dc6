namespace Herald.Postgres;

/// <summary>Options of the PostgreSQL durable log (<see cref="PostgresEventLog"/>).</summary>
public sealed class PostgresOptions
{
    /// <summary>
    /// An Npgsql connection string, for example <c>Host=db;Database=app;Username=app;Password=...</c>. The log keeps
    /// its tables in <see cref="Schema"/> of that database and creates them on first use. It never appears in a log
    /// line or an exception message: they name only host, port, database and user.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>
    /// The schema that holds the log's tables (created when missing). Default <c>herald</c>. A letter or underscore,
    /// then letters, digits or underscores, at most 48 characters; always used quoted. Give the log a schema of its
    /// own: its tables have plain names (<c>events</c>, <c>inbox</c>, ...).
    /// </summary>
    public string Schema { get; set; } = "herald";

    /// <summary>
    /// The partition count of a new log (default 8). A log keeps the count it was created with: null opens an existing
    /// log whatever its count; a value that differs from the stored count is an error naming both.
    /// </summary>
    public int? Partitions { get; set; }

    /// <summary>
    /// How long an append keeps retrying while the server cannot be reached (a restart, a failover, a terminated
    /// backend) before it fails and the log writer's own retries and dead-letter file take over. Default 30 seconds.
    /// </summary>
    public TimeSpan ReconnectTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Whether consumers are woken by LISTEN/NOTIFY when another process appends (default true). Without it, or while
    /// the listening connection is down, consumers find new events at their next poll
    /// (<see cref="ConsumerOptions.PollInterval"/>).
    /// </summary>
    public bool Notifications { get; set; } = true;

    /// <summary>
    /// Whether opening creates what is missing: the schema and the log's tables. Default true. False opens only a log
    /// that exists in <see cref="Schema"/> at this version's schema, creating and changing nothing: a missing schema, a
    /// schema without a Herald log, or a log of a newer schema is an error that says which. Tools (<c>herald</c>) open
    /// logs this way, so that a wrong schema name never leaves a new empty log behind.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    /// <summary>
    /// Whether an append in the app's transaction (<c>bus.Enlist</c>) prepares its statements on the app's connection
    /// (default true), once per physical connection: it is then parsed and planned once instead of at every publish
    /// (benchmarks/README.md, "Prepared statements"). The log's own connections do not prepare: auto-preparing them
    /// made publish-to-consumer latency about six times worse in the latency run (the cause not isolated; generic plans
    /// of the consumers' reads are the likely one). Set false behind a connection pooler that cannot keep prepared statements (PgBouncer
    /// in transaction mode before 1.21, or without <c>max_prepared_statements</c>).
    /// </summary>
    public bool PrepareStatements { get; set; } = true;

    internal PostgresOptions Clone() => new()
    {
        CreateIfMissing = CreateIfMissing,
        ConnectionString = ConnectionString,
        Schema = Schema,
        Partitions = Partitions,
        ReconnectTimeout = ReconnectTimeout,
        Notifications = Notifications,
        PrepareStatements = PrepareStatements,
    };
}
