using Herald.Sqlite;
using Herald.Sqlite.Storage;

namespace Herald;

/// <summary>Selects the SQLite durable log (<see cref="SqliteEventLog"/>).</summary>
public static class SqliteHeraldOptionsExtensions
{
    /// <summary>
    /// Keeps durable events in the SQLite database that <paramref name="connectionString"/> names (created, with its
    /// folder, when missing). Events that cannot be appended go to <c>&lt;database file&gt;.dead-letters.jsonl</c> next
    /// to the database (for <c>Data Source=data/events.db</c>: <c>data/events.db.dead-letters.jsonl</c>) unless
    /// <see cref="HeraldOptions.DeadLetterFile"/> is set. The connection string is checked here; the file is opened
    /// when the app first uses the durable log.
    /// </summary>
    /// <param name="options">Herald's options.</param>
    /// <param name="connectionString">For example <c>Data Source=events.db</c>.</param>
    /// <param name="configure">Changes the SQLite settings (synchronous mode, busy timeout); may be null.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentException">The connection string cannot be used; the message says why.</exception>
    public static HeraldOptions UseSqlite(this HeraldOptions options, string connectionString, Action<SqliteOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sqlite = new SqliteOptions { ConnectionString = connectionString };
        configure?.Invoke(sqlite);
        var database = SqliteDatabase.Resolve(sqlite.Clone());
        var partitions = sqlite.Partitions;
        return options.UseLog(SqliteEventLog.TransportName, _ => new SqliteEventLog(database, partitions ?? options.Partitions), database.DefaultDeadLetterFile);
    }
}
