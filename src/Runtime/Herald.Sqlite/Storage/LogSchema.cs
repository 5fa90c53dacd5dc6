using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// The tables of the log, created when the database is opened (idempotent) and versioned in <c>herald_schema</c>.
/// Every name starts with <c>herald_</c>: handlers may keep their own tables in the same file (that is what the
/// handling transaction is for), and <c>events</c> or <c>inbox</c> are names an app may well use.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><c>herald_events</c>: one row per appended envelope. <c>position</c> is the rowid with AUTOINCREMENT, so a
/// position is never given twice, even after retention removed the newest rows. <c>id</c> is indexed, not unique: a
/// dead-letter replay appends the same envelope id again at a new position. Times are Unix milliseconds (UTC).</item>
/// <item><c>herald_consumer_offsets</c>: the committed offset of each consumer.</item>
/// <item><c>herald_inbox</c>: the envelope ids each consumer completed, with the newest position it completed them
/// at (retention removes the marks of removed envelopes whose id is neither retained nor dead-lettered).</item>
/// <item><c>herald_dead_letters</c>: the envelope columns plus consumer, reason, exception, attempts and time.</item>
/// </list>
/// </remarks>
internal static class LogSchema
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 1;

    private const string VersionTable =
        "CREATE TABLE IF NOT EXISTS herald_schema (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);";

    private const string Version1 = """
        CREATE TABLE IF NOT EXISTS herald_events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            id BLOB NOT NULL,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            occurred_at INTEGER NOT NULL,
            partition_key TEXT,
            headers TEXT,
            payload BLOB NOT NULL
        );
        CREATE INDEX IF NOT EXISTS herald_events_id ON herald_events (id);
        CREATE TABLE IF NOT EXISTS herald_consumer_offsets (
            consumer TEXT NOT NULL PRIMARY KEY,
            position INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS herald_inbox (
            consumer TEXT NOT NULL,
            event_id BLOB NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (consumer, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS herald_inbox_position ON herald_inbox (position);
        CREATE TABLE IF NOT EXISTS herald_dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            consumer TEXT,
            position INTEGER NOT NULL,
            event_id BLOB NOT NULL,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            occurred_at INTEGER NOT NULL,
            partition_key TEXT,
            headers TEXT,
            payload BLOB NOT NULL,
            reason TEXT NOT NULL,
            exception TEXT,
            attempts INTEGER NOT NULL,
            dead_lettered_at INTEGER NOT NULL
        );
        CREATE INDEX IF NOT EXISTS herald_dead_letters_consumer ON herald_dead_letters (consumer, id);
        CREATE INDEX IF NOT EXISTS herald_dead_letters_event ON herald_dead_letters (event_id);
        """;

    /// <summary>Switches the file to WAL and creates or checks the tables, in one immediate transaction.</summary>
    /// <exception cref="InvalidOperationException">WAL is not available, or the file holds a newer schema.</exception>
    public static void Ensure(SqliteConnection connection, string path)
    {
        using (var wal = connection.CreateCommand())
        {
            wal.CommandText = "PRAGMA journal_mode = WAL;";
            var mode = Convert.ToString(wal.ExecuteScalar(), CultureInfo.InvariantCulture);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(
                    $"Herald.Sqlite could not switch '{path}' to WAL journaling (SQLite reports journal mode '{mode}'). The " +
                    "log needs WAL so that consumers read while the writer appends: keep the database on a local file system.");
        }

        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = VersionTable;
        command.ExecuteNonQuery();
        command.CommandText = "SELECT max(version) FROM herald_schema;";
        var stored = command.ExecuteScalar() is long version ? version : (long?)null;
        if (stored > CurrentVersion)
            throw new InvalidOperationException(
                $"The database '{path}' has Herald log schema version {stored}, written by a newer Herald.Sqlite; this version " +
                $"reads schema {CurrentVersion}. Update the Herald.Sqlite package.");
        if (stored != CurrentVersion)
        {
            command.CommandText = Version1;
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO herald_schema (version, applied_at) VALUES ($version, $at);";
            command.Parameters.AddWithValue("$version", CurrentVersion);
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
        transaction.Commit();
    }
}
