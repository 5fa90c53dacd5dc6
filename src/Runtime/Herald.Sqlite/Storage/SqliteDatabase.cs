using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// A validated database location: the file's full path and the connection string every connection of the log uses
/// (no Microsoft.Data.Sqlite pooling: the log keeps its own connections; a command timeout matching the busy timeout).
/// Opening a connection applies the per-connection settings and turns the usual failures into errors that say what
/// to fix.
/// </summary>
internal sealed class SqliteDatabase
{
    private const int SqliteBusy = 5;
    private const int SqliteReadOnly = 8;
    private const int SqliteCorrupt = 11;
    private const int SqliteCantOpen = 14;
    private const int SqliteNotADatabase = 26;

    private readonly string _connectionString;
    private readonly string _pragmas;

    private SqliteDatabase(string path, string connectionString, SqliteOptions options)
    {
        Path = path;
        _connectionString = connectionString;
        BusyTimeout = options.BusyTimeout;
        CreateIfMissing = options.CreateIfMissing;
        var synchronous = options.Synchronous == SqliteSynchronous.Full ? "FULL" : "NORMAL";
        _pragmas = string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA synchronous = {synchronous}; PRAGMA wal_autocheckpoint = 0;");
    }

    /// <summary>The database file's full path.</summary>
    public string Path { get; }

    public TimeSpan BusyTimeout { get; }

    /// <summary>Whether opening may create the file and the tables and migrate an older schema (<see cref="SqliteOptions.CreateIfMissing"/>).</summary>
    public bool CreateIfMissing { get; }

    /// <summary>Where events that cannot be appended go by default: <c>&lt;database file&gt;.dead-letters.jsonl</c>.</summary>
    public string DefaultDeadLetterFile => Path + ".dead-letters.jsonl";

    /// <summary>Validates <paramref name="options"/> without touching the file system.</summary>
    /// <exception cref="ArgumentException">The connection string or an option is not usable; the message says why.</exception>
    public static SqliteDatabase Resolve(SqliteOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
            throw new ArgumentException(
                "The SQLite connection string is empty. Name the database file, for example \"Data Source=events.db\".",
                nameof(options));
        if (!Enum.IsDefined(options.Synchronous))
            throw new ArgumentOutOfRangeException(nameof(options), options.Synchronous,
                "SqliteOptions.Synchronous must be Normal or Full.");
        if (options.BusyTimeout < TimeSpan.Zero || options.BusyTimeout.TotalMilliseconds > int.MaxValue)
            throw new ArgumentOutOfRangeException(nameof(options), options.BusyTimeout,
                "SqliteOptions.BusyTimeout must be between zero and about 24 days.");

        SqliteConnectionStringBuilder builder;
        try
        {
            builder = new SqliteConnectionStringBuilder(options.ConnectionString);
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
        {
            throw new ArgumentException(
                $"The SQLite connection string is not valid: {exception.Message} " +
                "Write it as keyword=value pairs, for example \"Data Source=events.db\" or \"Data Source=/var/lib/app/events.db;Cache=Private\".",
                nameof(options), exception);
        }

        var dataSource = builder.DataSource;
        if (string.IsNullOrWhiteSpace(dataSource))
            throw new ArgumentException(
                "The SQLite connection string has no Data Source, so SQLite would use a temporary database that is deleted " +
                "when it closes. Name the database file, for example \"Data Source=events.db\".",
                nameof(options));
        if (builder.Mode == SqliteOpenMode.Memory || IsMemory(dataSource))
            throw new ArgumentException(
                $"The SQLite connection string names an in-memory database ('{dataSource}'). The durable log must outlive the " +
                "process and is shared by several connections: name a database file, for example \"Data Source=events.db\" " +
                "(or use o.UseInMemory() for an in-process log).",
                nameof(options));
        if (builder.Mode == SqliteOpenMode.ReadOnly)
            throw new ArgumentException(
                "The SQLite connection string opens the database read-only (Mode=ReadOnly), but the durable log writes to it. " +
                "Remove Mode=ReadOnly or use Mode=ReadWriteCreate.",
                nameof(options));

        var path = FilePath(dataSource);
        if (!IsUri(dataSource))
            builder.DataSource = path;
        builder.Pooling = false;
        // Microsoft.Data.Sqlite retries a locked statement until the command timeout (whole seconds, 0 = forever) on top
        // of SQLite's own busy_timeout: keep it no longer than the busy timeout.
        builder.DefaultTimeout = Math.Max(1, (int)Math.Ceiling(options.BusyTimeout.TotalSeconds));
        return new SqliteDatabase(path, builder.ConnectionString, options);
    }

    /// <summary>Creates the database's folder when it is missing.</summary>
    /// <exception cref="InvalidOperationException">The folder cannot be created.</exception>
    public void EnsureFolder()
    {
        var folder = System.IO.Path.GetDirectoryName(Path);
        if (string.IsNullOrEmpty(folder) || Directory.Exists(folder))
            return;
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new InvalidOperationException(
                $"Herald.Sqlite cannot create the folder '{folder}' for the database '{Path}': {exception.Message} " +
                "Create the folder, or point Data Source in the connection string at a writable location.", exception);
        }
    }

    /// <summary>Opens a connection with the log's per-connection settings (busy timeout, synchronous).</summary>
    public SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = _pragmas;
            command.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException exception)
        {
            connection.Dispose();
            throw Explain(exception) ?? throw new InvalidOperationException(
                $"Herald.Sqlite cannot open the database '{Path}': {exception.Message}", exception);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>An error that says what to fix for the failures of opening a database; null for other failures.</summary>
    public InvalidOperationException? Explain(SqliteException exception) => exception.SqliteErrorCode switch
    {
        SqliteCantOpen => new InvalidOperationException(
            $"Herald.Sqlite cannot open or create the database file '{Path}' ({exception.Message}). Check that its folder " +
            "exists and that this process may create, read and write files in it (SQLite also creates the '-wal' and " +
            "'-shm' files next to it), or point Data Source in the connection string elsewhere.", exception),
        SqliteNotADatabase => new InvalidOperationException(
            $"'{Path}' is not a SQLite database ({exception.Message}). Point Data Source at a new file or at an existing " +
            "Herald database.", exception),
        SqliteReadOnly => new InvalidOperationException(
            $"The database file '{Path}' is read-only for this process ({exception.Message}). Give the process write " +
            "access to the file and its folder, or point Data Source elsewhere.", exception),
        SqliteCorrupt => new InvalidOperationException(
            $"The database file '{Path}' is corrupt ({exception.Message}). Restore it from a backup, or move it aside " +
            "and let Herald create a new one.", exception),
        SqliteBusy => new InvalidOperationException(
            $"The database file '{Path}' stayed locked by another connection for longer than the busy timeout " +
            $"({BusyTimeout.TotalMilliseconds:0} ms) ({exception.Message}). Find the process that holds it, or raise " +
            "SqliteOptions.BusyTimeout.", exception),
        _ => null,
    };

    private static bool IsMemory(string dataSource)
        => string.Equals(dataSource, ":memory:", StringComparison.OrdinalIgnoreCase)
           || (IsUri(dataSource)
               && (dataSource.StartsWith("file::memory:", StringComparison.OrdinalIgnoreCase)
                   || dataSource.Contains("mode=memory", StringComparison.OrdinalIgnoreCase)));

    private static bool IsUri(string dataSource) => dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase);

    private static string FilePath(string dataSource)
    {
        var path = dataSource;
        if (IsUri(path))
        {
            // file:events.db, file:///var/lib/events.db, file://localhost/var/lib/events.db, each maybe with ?query.
            path = path[5..];
            var query = path.IndexOf('?', StringComparison.Ordinal);
            if (query >= 0)
                path = path[..query];
            if (path.StartsWith("//localhost/", StringComparison.OrdinalIgnoreCase))
                path = path[11..];
            else if (path.StartsWith("///", StringComparison.Ordinal))
                path = path[2..];
            path = Uri.UnescapeDataString(path);
        }
        const string DataDirectory = "|DataDirectory|";
        if (path.StartsWith(DataDirectory, StringComparison.OrdinalIgnoreCase))
        {
            var root = AppDomain.CurrentDomain.GetData("DataDirectory") as string ?? AppContext.BaseDirectory;
            path = System.IO.Path.Join(root, path[DataDirectory.Length..].TrimStart('/', '\\'));
        }
        return System.IO.Path.GetFullPath(path);
    }
}
