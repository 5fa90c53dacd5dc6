namespace Herald.Sqlite;

/// <summary>Options of the SQLite durable log (<see cref="SqliteEventLog"/>).</summary>
public sealed class SqliteOptions
{
    /// <summary>
    /// A Microsoft.Data.Sqlite connection string naming the database file, for example <c>Data Source=events.db</c>
    /// (relative paths are resolved against the current directory when the options are used). The file and its
    /// folder are created when missing. In-memory and read-only databases are refused: the log must persist and write.
    /// </summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>How hard a commit is synced to disk. Default <see cref="SqliteSynchronous.Normal"/>.</summary>
    public SqliteSynchronous Synchronous { get; set; } = SqliteSynchronous.Normal;

    /// <summary>
    /// How long a statement waits for another connection's lock (<c>PRAGMA busy_timeout</c>) before it fails with
    /// "database is locked". Default 5 seconds. Microsoft.Data.Sqlite retries a locked statement itself for at least
    /// one second, so shorter values wait about one second.
    /// </summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The partition count of a new log (default 8). A log keeps the count it was created with: null opens an existing
    /// file whatever its count; a value that differs from the stored count is an error naming both.
    /// </summary>
    public int? Partitions { get; set; }

    /// <summary>
    /// Whether opening creates what is missing: the file, its folder and the log's tables, and migrates a log of an
    /// older schema. Default true. False opens only a log that exists at this version's schema, changing nothing of
    /// its shape: a missing file, a SQLite database without a Herald log, or a log of an older or newer schema is an
    /// error that says which. Tools (<c>herald</c>) open logs this way, so that a wrong path never leaves a new empty
    /// log behind and an app's file is migrated only by the app.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    internal SqliteOptions Clone() => new()
    {
        ConnectionString = ConnectionString,
        Partitions = Partitions,
        CreateIfMissing = CreateIfMissing,
        Synchronous = Synchronous,
        BusyTimeout = BusyTimeout,
    };
}
