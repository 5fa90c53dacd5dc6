using System.Globalization;
using Herald.Durable;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Storage;

/// <summary>
/// The tables of the log, created when the database is opened (idempotent) and versioned in <c>herald_schema</c>.
/// Every name starts with <c>herald_</c>: handlers may keep their own tables in the same file (that is what the
/// handling transaction is for), and <c>events</c> or <c>inbox</c> are names an app may well use.
/// </summary>
/// <remarks>
/// Schema 2 (partitions and consumer groups):
/// <list type="bullet">
/// <item><c>herald_settings</c>: the log's fixed settings; <c>partitions</c> is the partition count.</item>
/// <item><c>herald_partitions</c>: one row per partition with the last position given in it. Appends take the next
/// positions from it inside their <c>BEGIN IMMEDIATE</c> transaction, so positions of a partition increase by one per
/// event in commit order, and a rolled-back append leaves no gap.</item>
/// <item><c>herald_events</c>: one row per envelope. <c>seq</c> (the rowid) is the append order over the whole log, which
/// retention follows; <c>(partition, position)</c> is unique; <c>(partition, type, position)</c> lets a consumer read only
/// its own events. <c>id</c> is indexed, not unique: a dead-letter replay appends the same id again. Times are Unix
/// milliseconds (UTC).</item>
/// <item><c>herald_consumer_offsets</c>: the committed offset of each (consumer, partition).</item>
/// <item><c>herald_leases</c>: owner, expiry and epoch of each (consumer, partition); <c>herald_members</c>: each consumer
/// group's members and their heartbeat expiry.</item>
/// <item><c>herald_inbox</c>: the envelope ids each consumer completed, with the partition and the newest position it
/// completed them at.</item>
/// <item><c>herald_dead_letters</c>: the envelope columns plus consumer, reason, exception, attempts and time.</item>
/// </list>
/// A schema-1 file (one global position, one offset per consumer) is migrated in place, in one transaction, when it
/// is opened: every event keeps its id and contents and gets its partition (<see cref="Partitioning"/>) and a position
/// within it in its old order; each consumer's offset becomes, per partition, the position of the last event it had
/// passed; inbox marks and dead letters keep their ids and get their partition and new position.
/// </remarks>
internal static class LogSchema
{
    /// <summary>The schema version this code writes and reads.</summary>
    public const int CurrentVersion = 2;

    private const string VersionTable =
        "CREATE TABLE IF NOT EXISTS herald_schema (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);";

    private const string Version2 = """
        CREATE TABLE herald_settings (
            name TEXT NOT NULL PRIMARY KEY,
            value TEXT NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE herald_partitions (
            partition INTEGER PRIMARY KEY,
            last_position INTEGER NOT NULL
        );
        CREATE TABLE herald_events (
            seq INTEGER PRIMARY KEY,
            partition INTEGER NOT NULL,
            position INTEGER NOT NULL,
            id BLOB NOT NULL,
            type TEXT NOT NULL,
            version INTEGER NOT NULL,
            occurred_at INTEGER NOT NULL,
            partition_key TEXT,
            headers TEXT,
            payload BLOB NOT NULL
        );
        CREATE UNIQUE INDEX herald_events_position ON herald_events (partition, position);
        CREATE INDEX herald_events_type ON herald_events (partition, type, position);
        CREATE INDEX herald_events_id ON herald_events (id);
        CREATE TABLE herald_consumer_offsets (
            consumer TEXT NOT NULL,
            partition INTEGER NOT NULL,
            position INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY (consumer, partition)
        ) WITHOUT ROWID;
        CREATE TABLE herald_leases (
            consumer TEXT NOT NULL,
            partition INTEGER NOT NULL,
            owner TEXT,
            expires_at INTEGER NOT NULL,
            epoch INTEGER NOT NULL,
            PRIMARY KEY (consumer, partition)
        ) WITHOUT ROWID;
        CREATE TABLE herald_members (
            consumer TEXT NOT NULL,
            member TEXT NOT NULL,
            expires_at INTEGER NOT NULL,
            PRIMARY KEY (consumer, member)
        ) WITHOUT ROWID;
        CREATE TABLE herald_inbox (
            consumer TEXT NOT NULL,
            event_id BLOB NOT NULL,
            partition INTEGER NOT NULL,
            position INTEGER NOT NULL,
            PRIMARY KEY (consumer, event_id)
        ) WITHOUT ROWID;
        CREATE INDEX herald_inbox_position ON herald_inbox (partition, position);
        CREATE TABLE herald_dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            consumer TEXT,
            partition INTEGER NOT NULL,
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
        CREATE INDEX herald_dead_letters_consumer ON herald_dead_letters (consumer, id);
        CREATE INDEX herald_dead_letters_event ON herald_dead_letters (event_id);
        """;

    // Schema 1 -> 2. The old tables are renamed, the new ones created, and the rows copied with their partition
    // (computed by herald_partition(), the C# Partitioning function registered on the connection) and their position
    // within it (their rank in old position order).
    private const string MigrateFrom1 = """
        ALTER TABLE herald_events RENAME TO herald_events_v1;
        ALTER TABLE herald_consumer_offsets RENAME TO herald_consumer_offsets_v1;
        ALTER TABLE herald_inbox RENAME TO herald_inbox_v1;
        ALTER TABLE herald_dead_letters RENAME TO herald_dead_letters_v1;
        DROP INDEX IF EXISTS herald_events_id;
        DROP INDEX IF EXISTS herald_inbox_position;
        DROP INDEX IF EXISTS herald_dead_letters_consumer;
        DROP INDEX IF EXISTS herald_dead_letters_event;
        """;

    private const string CopyFrom1 = """
        CREATE TEMP TABLE herald_moved AS
            SELECT position AS old_position, partition,
                   row_number() OVER (PARTITION BY partition ORDER BY position) AS position
            FROM (SELECT position, herald_partition(partition_key, id) AS partition FROM herald_events_v1);
        CREATE UNIQUE INDEX temp.herald_moved_old ON herald_moved (old_position);
        INSERT INTO herald_events (seq, partition, position, id, type, version, occurred_at, partition_key, headers, payload)
            SELECT e.position, m.partition, m.position, e.id, e.type, e.version, e.occurred_at, e.partition_key, e.headers, e.payload
            FROM herald_events_v1 e JOIN herald_moved m ON m.old_position = e.position;
        UPDATE herald_partitions SET last_position = coalesce(
            (SELECT max(position) FROM herald_moved m WHERE m.partition = herald_partitions.partition), 0);
        INSERT INTO herald_consumer_offsets (consumer, partition, position, updated_at)
            SELECT o.consumer, p.partition,
                   coalesce((SELECT max(m.position) FROM herald_moved m WHERE m.partition = p.partition AND m.old_position <= o.position), 0),
                   o.updated_at
            FROM herald_consumer_offsets_v1 o CROSS JOIN herald_partitions p;
        INSERT INTO herald_inbox (consumer, event_id, partition, position)
            SELECT i.consumer, i.event_id, coalesce(m.partition, herald_partition(NULL, i.event_id)), coalesce(m.position, 0)
            FROM herald_inbox_v1 i LEFT JOIN herald_moved m ON m.old_position = i.position;
        INSERT INTO herald_dead_letters (id, consumer, partition, position, event_id, type, version, occurred_at, partition_key,
                                         headers, payload, reason, exception, attempts, dead_lettered_at)
            SELECT d.id, d.consumer, coalesce(m.partition, herald_partition(d.partition_key, d.event_id)), coalesce(m.position, 0),
                   d.event_id, d.type, d.version, d.occurred_at, d.partition_key, d.headers, d.payload, d.reason, d.exception,
                   d.attempts, d.dead_lettered_at
            FROM herald_dead_letters_v1 d LEFT JOIN herald_moved m ON m.old_position = d.position;
        INSERT INTO sqlite_sequence (name, seq)
            SELECT 'herald_dead_letters', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'herald_dead_letters');
        UPDATE sqlite_sequence
            SET seq = max(seq, coalesce((SELECT seq FROM sqlite_sequence WHERE name = 'herald_dead_letters_v1'), 0),
                               (SELECT coalesce(max(id), 0) FROM herald_dead_letters))
            WHERE name = 'herald_dead_letters';
        DROP TABLE herald_moved;
        DROP TABLE herald_events_v1;
        DROP TABLE herald_consumer_offsets_v1;
        DROP TABLE herald_inbox_v1;
        DROP TABLE herald_dead_letters_v1;
        """;

    /// <summary>
    /// Checks that the file holds a log of the current schema, changing nothing (no table created, no migration, no
    /// journal mode switched on a file that is not a log); returns its partition count.
    /// </summary>
    /// <exception cref="InvalidOperationException">The file is not a Herald log, or holds an older or newer schema.</exception>
    /// <exception cref="SqliteException">The file cannot be read (not a database, locked, ...): the caller explains it.</exception>
    public static int OpenExisting(SqliteConnection connection, string path, int? partitions)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'herald_schema';";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
            throw new InvalidOperationException(
                $"'{path}' is a SQLite database but not a Herald log (it has no herald_schema table). Point at the database file " +
                "the app's durable events are in (Herald:Sqlite:ConnectionString).");
        command.CommandText = "SELECT max(version) FROM herald_schema;";
        var stored = command.ExecuteScalar() is long version ? version : 0;
        if (stored > CurrentVersion)
            throw NewerSchema(path, stored);
        if (stored < CurrentVersion)
            throw new InvalidOperationException(
                $"The Herald log '{path}' has schema version {stored}; this version reads schema {CurrentVersion} and migrates older logs " +
                "only when an app opens them. Start the app once with this version of Herald.Sqlite to migrate it, then try again.");
        return ReadCurrent(connection, path, partitions) ?? throw new InvalidOperationException(
            $"The Herald log '{path}' is incomplete (its herald_settings table is missing or has no partition count). Restore it from a backup.");
    }

    private static InvalidOperationException NewerSchema(string path, long stored)
        => new($"The database '{path}' has Herald log schema version {stored}, written by a newer Herald.Sqlite; this version " +
               $"reads schema {CurrentVersion}. Update the Herald.Sqlite package (or the herald tool: dotnet tool update --global Herald.Cli).");

    /// <summary>The partition count of a file that already has the current schema; null when it must be created or migrated.</summary>
    private static int? ReadCurrent(SqliteConnection connection, string path, int? partitions)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT CASE WHEN EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'herald_settings')
                        AND (SELECT max(version) FROM herald_schema) = $version
                   THEN (SELECT value FROM herald_settings WHERE name = 'partitions') END;
            """;
        command.Parameters.AddWithValue("$version", CurrentVersion);
        try
        {
            return command.ExecuteScalar() is string count ? CheckCount(int.Parse(count, CultureInfo.InvariantCulture), path, partitions) : null;
        }
        catch (SqliteException)
        {
            return null; // no herald_schema yet, or a half-made file: the write path below decides
        }
    }

    private static int CheckCount(int stored, string path, int? partitions)
    {
        if (partitions is { } asked && asked != stored)
            throw new InvalidOperationException(
                $"The log '{path}' was created with {stored} partitions, but {asked} were asked for. A log keeps the count it was " +
                $"created with (changing it would move keys between partitions): ask for {stored}, or leave the count unset.");
        return stored;
    }

    /// <summary>
    /// Switches the file to WAL and creates, migrates or checks the tables, in one immediate transaction (so
    /// instances that open one file at the same moment do it once); returns the log's partition count.
    /// </summary>
    /// <param name="connection">The connection.</param>
    /// <param name="path">The database file, for messages.</param>
    /// <param name="partitions">The count asked for; null: the stored count, or the default for a new log.</param>
    /// <exception cref="InvalidOperationException">WAL is not available, the file holds a newer schema, or another count.</exception>
    public static int Ensure(SqliteConnection connection, string path, int? partitions)
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

        // A file with the current schema is only read: no write lock, so opening the log never waits for another
        // connection's write transaction (an app that opens it inside a transaction of its own on the same file).
        if (ReadCurrent(connection, path, partitions) is { } existing)
            return existing;

        using var transaction = connection.BeginTransaction(deferred: false);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = VersionTable;
        command.ExecuteNonQuery();
        command.CommandText = "SELECT max(version) FROM herald_schema;";
        var stored = command.ExecuteScalar() is long version ? version : (long?)null;
        if (stored > CurrentVersion)
            throw NewerSchema(path, stored.Value);

        int count;
        if (stored == CurrentVersion)
        {
            command.CommandText = "SELECT value FROM herald_settings WHERE name = 'partitions';";
            count = CheckCount(int.Parse((string)command.ExecuteScalar()!, CultureInfo.InvariantCulture), path, partitions);
        }
        else
        {
            count = partitions ?? Partitioning.DefaultPartitions;
            var fromVersion1 = stored == 1;
            if (fromVersion1)
            {
                command.CommandText = MigrateFrom1;
                command.ExecuteNonQuery();
            }
            command.CommandText = Version2;
            command.ExecuteNonQuery();
            command.CommandText = "INSERT INTO herald_settings (name, value) VALUES ('partitions', $count);";
            command.Parameters.AddWithValue("$count", count.ToString(CultureInfo.InvariantCulture));
            command.ExecuteNonQuery();
            command.Parameters.Clear();
            command.CommandText = "INSERT INTO herald_partitions (partition, last_position) VALUES ($partition, 0);";
            var partition = command.Parameters.Add("$partition", SqliteType.Integer);
            for (var i = 0; i < count; i++)
            {
                partition.Value = i;
                command.ExecuteNonQuery();
            }
            command.Parameters.Clear();
            if (fromVersion1)
            {
                connection.CreateFunction<string?, byte[]?, long>(
                    "herald_partition",
                    (key, id) => key is not null || id is { Length: EventIds.Size }
                        ? Partitioning.PartitionOf(key, id is { Length: EventIds.Size } ? EventIds.Read(id) : Guid.Empty, count)
                        : 0,
                    isDeterministic: true);
                command.CommandText = CopyFrom1;
                command.ExecuteNonQuery();
            }
            command.CommandText = "INSERT INTO herald_schema (version, applied_at) VALUES ($version, $at);";
            command.Parameters.AddWithValue("$version", CurrentVersion);
            command.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
        }
        transaction.Commit();
        return count;
    }
}
