using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

/// <summary>
/// A database written by schema 1 (one global position, one offset per consumer) opens and is migrated in place to
/// schema 2 (partitions, per-partition offsets, leases) without losing an event, an offset, an inbox mark or a dead
/// letter. The schema-1 file is written here the way Herald.Sqlite 0.1 wrote it.
/// </summary>
public sealed class SchemaMigrationTests : IAsyncLifetime
{
    private const string Version1 = """
        CREATE TABLE herald_schema (version INTEGER NOT NULL, applied_at INTEGER NOT NULL);
        CREATE TABLE herald_events (
            position INTEGER PRIMARY KEY AUTOINCREMENT,
            id BLOB NOT NULL, type TEXT NOT NULL, version INTEGER NOT NULL, occurred_at INTEGER NOT NULL,
            partition_key TEXT, headers TEXT, payload BLOB NOT NULL);
        CREATE INDEX herald_events_id ON herald_events (id);
        CREATE TABLE herald_consumer_offsets (consumer TEXT NOT NULL PRIMARY KEY, position INTEGER NOT NULL, updated_at INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE herald_inbox (consumer TEXT NOT NULL, event_id BLOB NOT NULL, position INTEGER NOT NULL, PRIMARY KEY (consumer, event_id)) WITHOUT ROWID;
        CREATE INDEX herald_inbox_position ON herald_inbox (position);
        CREATE TABLE herald_dead_letters (
            id INTEGER PRIMARY KEY AUTOINCREMENT, consumer TEXT, position INTEGER NOT NULL, event_id BLOB NOT NULL,
            type TEXT NOT NULL, version INTEGER NOT NULL, occurred_at INTEGER NOT NULL, partition_key TEXT, headers TEXT,
            payload BLOB NOT NULL, reason TEXT NOT NULL, exception TEXT, attempts INTEGER NOT NULL, dead_lettered_at INTEGER NOT NULL);
        CREATE INDEX herald_dead_letters_consumer ON herald_dead_letters (consumer, id);
        CREATE INDEX herald_dead_letters_event ON herald_dead_letters (event_id);
        INSERT INTO herald_schema (version, applied_at) VALUES (1, 1764000000000);
        """;

    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ASchema1File_IsMigratedInPlace_KeepingEveryEventOffsetInboxMarkAndDeadLetter_AndConsumersResumeWhereTheyWere()
    {
        // 60 events over 9 keys (and some without a key); retention had removed the first 5 (positions 6..65 remain).
        var events = Enumerable.Range(6, 60).Select(position => (
            Position: (long)position,
            Id: Guid.CreateVersion7(),
            Key: position % 7 == 0 ? null : $"order-{position % 9}",
            Type: position % 2 == 0 ? "orders.created" : "orders.shipped")).ToList();
        var deadLettered = events[10];
        var gone = Guid.CreateVersion7(); // a dead letter whose event retention removed
        using (var connection = _database.Connect())
        {
            Execute(connection, Version1);
            Execute(connection, "INSERT INTO sqlite_sequence (name, seq) SELECT 'herald_events', 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = 'herald_events');");
            foreach (var e in events)
            {
                Execute(connection, "INSERT INTO herald_events (position, id, type, version, occurred_at, partition_key, headers, payload) VALUES ($p, $id, $type, 1, $at, $key, '{\"traceparent\":\"t\"}', $payload);",
                    ("$p", e.Position), ("$id", e.Id.ToByteArray(bigEndian: true)), ("$type", e.Type), ("$at", 1764000000000 + e.Position),
                    ("$key", (object?)e.Key ?? DBNull.Value), ("$payload", System.Text.Encoding.UTF8.GetBytes($$"""{"n":{{e.Position}}}""")));
            }
            Execute(connection, "INSERT INTO herald_consumer_offsets (consumer, position, updated_at) VALUES ('billing', 40, 1), ('shipping', 65, 1), ('audit', 5, 1);");
            foreach (var e in events.Where(e => e.Position <= 40))
                Execute(connection, "INSERT INTO herald_inbox (consumer, event_id, position) VALUES ('billing', $id, $p);", ("$id", e.Id.ToByteArray(bigEndian: true)), ("$p", e.Position));
            Execute(connection, "INSERT INTO herald_inbox (consumer, event_id, position) VALUES ('billing', $id, 3);", ("$id", gone.ToByteArray(bigEndian: true)));
            Execute(connection, """
                INSERT INTO herald_dead_letters (id, consumer, position, event_id, type, version, occurred_at, partition_key, headers, payload, reason, exception, attempts, dead_lettered_at)
                VALUES (7, 'shipping', 3, $gone, 'orders.shipped', 1, 1764000000003, 'order-3', NULL, x'7b7d', 'old failure', NULL, 5, 1),
                       (9, 'shipping', $p, $id, $type, 1, 1764000000016, $key, NULL, x'7b7d', 'handler failed', 'boom', 5, 2);
                """, ("$gone", gone.ToByteArray(bigEndian: true)), ("$p", deadLettered.Position), ("$id", deadLettered.Id.ToByteArray(bigEndian: true)),
                ("$type", deadLettered.Type), ("$key", (object?)deadLettered.Key ?? DBNull.Value));
            Execute(connection, "UPDATE sqlite_sequence SET seq = 65 WHERE name = 'herald_events'; UPDATE sqlite_sequence SET seq = 12 WHERE name = 'herald_dead_letters';");
        }

        await using var log = new SqliteEventLog(_database.ConnectionString);

        Assert.Equal(8, log.Stream.Partitions);
        Assert.Equal([1L, 2L], Versions());
        var stored = await Envelopes.ReadAllAsync(log);
        Assert.Equal(events.Select(e => e.Id).Order(), stored.Select(e => e.Id).Order());
        var newPosition = new Dictionary<Guid, LogPosition>();
        foreach (var partition in events.GroupBy(e => Partitioning.PartitionOf(e.Key, e.Id, 8)))
        {
            // Within its partition every event keeps its old order, at positions 1, 2, 3 ...
            var inPartition = stored.Where(s => s.Partition == partition.Key).ToList();
            Assert.Equal(partition.OrderBy(e => e.Position).Select(e => e.Id), inPartition.Select(s => s.Id));
            Assert.Equal(Enumerable.Range(1, inPartition.Count).Select(p => (long)p), inPartition.Select(s => s.Position));
            foreach (var s in inPartition)
                newPosition[s.Id] = s.LogPosition;
        }
        var sample = stored.Single(s => s.Id == events[0].Id);
        Assert.Equal(events[0].Type, sample.Type);
        Assert.Equal(events[0].Key, sample.PartitionKey);
        Assert.Equal("t", sample.Headers["traceparent"]);
        Assert.Equal("""{"n":6}""", Envelopes.PayloadText(sample));

        // Each consumer's offset is, per partition, the last event it had passed: what it gets next is exactly what it
        // had not reached.
        foreach (var (consumer, oldOffset) in new[] { ("billing", 40L), ("shipping", 65L), ("audit", 5L) })
        {
            var offsets = (await log.Checkpoints.GetOffsetsAsync(consumer, CancellationToken.None)).ToDictionary(o => o.Partition, o => o.Position);
            Assert.Equal(8, offsets.Count);
            var next = stored.Where(s => s.Position > offsets[s.Partition]).Select(s => s.Id).Order();
            Assert.Equal(events.Where(e => e.Position > oldOffset).Select(e => e.Id).Order(), next);
        }
        Assert.Equal(events.Where(e => e.Position <= 40).Select(e => e.Id).Order(),
            (await log.Checkpoints.FindHandledAsync("billing", stored, CancellationToken.None)).Order());
        Assert.Equal(36, _database.Scalar("SELECT count(*) FROM herald_inbox WHERE consumer = 'billing'")); // 35 events and the one retention removed

        var letters = await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None);
        Assert.Equal([7L, 9L], letters.Select(l => l.Id));
        Assert.Equal(gone, letters[0].Envelope.Id);
        Assert.Equal(Partitioning.PartitionOf("order-3", 8), letters[0].Envelope.Partition);
        Assert.Equal(newPosition[deadLettered.Id], letters[1].Envelope.LogPosition);
        Assert.Equal("handler failed", letters[1].Reason);

        // Ids never given twice: the next dead letter comes after the old sequence, the next event after each partition's last.
        var lease = await Envelopes.LeaseAsync(log, "shipping", letters[1].Envelope.Partition);
        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 1, [], letters[1] with { Id = 0 }), CancellationToken.None);
        Assert.Equal(13, (await log.DeadLetters.ListAsync(new DeadLetterQuery(AfterId: 9), CancellationToken.None)).Single().Id);
        var appended = await log.Stream.AppendAsync([Envelopes.Create(partitionKey: "order-1")], CancellationToken.None);
        Assert.Equal(stored.Count(s => s.Partition == appended[0].Partition) + 1, appended[0].Position);
    }

    [Fact]
    public async Task AnEmptySchema1File_IsMigrated_AndOpensAsANewLog()
    {
        using (var connection = _database.Connect())
            Execute(connection, Version1);

        await using var log = new SqliteEventLog(new SqliteOptions { ConnectionString = _database.ConnectionString, Partitions = 3 });

        Assert.Equal(3, log.Stream.Partitions);
        Assert.Empty(await Envelopes.ReadAllAsync(log));
        Assert.Equal([new LogPosition(Partitioning.PartitionOf("k", 3), 1)], await log.Stream.AppendAsync([Envelopes.Create(partitionKey: "k")], CancellationToken.None));
    }

    private long[] Versions()
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM herald_schema ORDER BY version";
        using var reader = command.ExecuteReader();
        var versions = new List<long>();
        while (reader.Read())
            versions.Add(reader.GetInt64(0));
        return [.. versions];
    }

    private static void Execute(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        command.ExecuteNonQuery();
    }
}
