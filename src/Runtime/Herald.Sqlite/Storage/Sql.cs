namespace Herald.Sqlite.Storage;

/// <summary>The statements of the log other than the append (see <see cref="EventAppender"/>) and the schema.</summary>
internal static class Sql
{
    // Reads. A consumer reads its own types only, one statement per type on the (partition, type, position) index;
    // the pages are merged by position (see SqliteStream.ReadAsync).
    public const string ReadPartition =
        "SELECT " + EnvelopeRow.Columns + " FROM herald_events WHERE partition = $partition AND position > $after ORDER BY position LIMIT $max;";

    public const string ReadPartitionType =
        "SELECT " + EnvelopeRow.Columns + " FROM herald_events WHERE partition = $partition AND type = $type AND position > $after ORDER BY position LIMIT $max;";

    public const string PartitionBounds =
        "SELECT (SELECT min(position) FROM herald_events WHERE partition = $partition), last_position FROM herald_partitions WHERE partition = $partition;";

    public const string AllBounds = """
        SELECT p.partition, (SELECT min(e.position) FROM herald_events e WHERE e.partition = p.partition), p.last_position
        FROM herald_partitions p ORDER BY p.partition;
        """;

    public const string InsertEvent = """
        INSERT INTO herald_events (partition, position, id, type, version, occurred_at, partition_key, headers, payload)
        VALUES ($partition, $position, $id, $type, $version, $occurred_at, $partition_key, $headers, $payload);
        """;

    public const string LastPositions = "SELECT partition, last_position FROM herald_partitions ORDER BY partition;";

    public const string SetLastPosition = "UPDATE herald_partitions SET last_position = $position WHERE partition = $partition;";

    // Positions follow commit order, not time: the first envelope in position order that occurred at or after the time.
    public const string FirstAtOrAfter =
        "SELECT position FROM herald_events WHERE partition = $partition AND occurred_at >= $time ORDER BY position LIMIT 1;";

    public const string LastPosition = "SELECT last_position FROM herald_partitions WHERE partition = $partition;";

    // Offsets.
    public const string GetOffsets =
        "SELECT partition, position, updated_at FROM herald_consumer_offsets WHERE consumer = $consumer ORDER BY partition;";

    public const string SetOffset = """
        INSERT INTO herald_consumer_offsets (consumer, partition, position, updated_at) VALUES ($consumer, $partition, $position, $now)
        ON CONFLICT (consumer, partition) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at;
        """;

    public const string ListConsumers = """
        SELECT consumer FROM herald_consumer_offsets UNION SELECT consumer FROM herald_leases
        UNION SELECT consumer FROM herald_members ORDER BY 1;
        """;

    // The newest position is kept: retention removes a mark only once every copy of the envelope it covers is gone.
    public const string MarkInboxPrefix = "INSERT INTO herald_inbox (consumer, event_id, partition, position) VALUES";

    public const string MarkInboxSuffix =
        " ON CONFLICT (consumer, event_id) DO UPDATE SET partition = excluded.partition, position = max(position, excluded.position);";

    // Leases. A commit is fenced by its lease: it is written only while the lease row still names its owner and epoch.
    public const string LeaseIsCurrent =
        "SELECT EXISTS (SELECT 1 FROM herald_leases WHERE consumer = $consumer AND partition = $partition AND owner = $owner AND epoch = $epoch);";

    public const string GetLease =
        "SELECT owner, expires_at, epoch FROM herald_leases WHERE consumer = $consumer AND partition = $partition;";

    public const string GetLeases =
        "SELECT partition, owner, expires_at, epoch FROM herald_leases WHERE consumer = $consumer ORDER BY partition;";

    public const string PutLease = """
        INSERT INTO herald_leases (consumer, partition, owner, expires_at, epoch) VALUES ($consumer, $partition, $owner, $expires_at, $epoch)
        ON CONFLICT (consumer, partition) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, epoch = excluded.epoch;
        """;

    public const string RenewLeases =
        "UPDATE herald_leases SET expires_at = $expires_at WHERE consumer = $consumer AND owner = $owner RETURNING partition, epoch;";

    public const string ReleaseLease = """
        UPDATE herald_leases SET owner = NULL, expires_at = 0
        WHERE consumer = $consumer AND partition = $partition AND owner = $owner AND epoch = $epoch;
        """;

    // An operator's offset move raises the epoch, so the partition's owner cannot commit over it.
    public const string FenceLease = """
        INSERT INTO herald_leases (consumer, partition, owner, expires_at, epoch) VALUES ($consumer, $partition, NULL, 0, 1)
        ON CONFLICT (consumer, partition) DO UPDATE SET epoch = epoch + 1;
        """;

    public const string Heartbeat = """
        INSERT INTO herald_members (consumer, member, expires_at) VALUES ($consumer, $member, $expires_at)
        ON CONFLICT (consumer, member) DO UPDATE SET expires_at = excluded.expires_at;
        """;

    public const string ForgetMembers = "DELETE FROM herald_members WHERE consumer = $consumer AND expires_at <= $now;";

    public const string LiveMembers =
        "SELECT member, expires_at FROM herald_members WHERE consumer = $consumer AND expires_at > $now ORDER BY member;";

    public const string Leave = "DELETE FROM herald_members WHERE consumer = $consumer AND member = $member;";

    // Dead letters.
    public const string AddDeadLetter = """
        INSERT INTO herald_dead_letters
            (consumer, partition, position, event_id, type, version, occurred_at, partition_key, headers, payload,
             reason, exception, attempts, dead_lettered_at)
        VALUES ($consumer, $partition, $position, $id, $type, $version, $occurred_at, $partition_key, $headers, $payload,
                $reason, $exception, $attempts, $at)
        RETURNING id;
        """;

    private const string DeadLetterColumns =
        "SELECT id, consumer, reason, exception, attempts, dead_lettered_at, " + EnvelopeRow.DeadLetterColumns + " FROM herald_dead_letters";

    /// <summary>Where the envelope's columns start in dead-letter rows.</summary>
    public const int DeadLetterEnvelopeOrdinal = 6;

    private const string DeadLetterFilter =
        "($consumer IS NULL OR consumer = $consumer) AND ($type IS NULL OR type = $type)";

    public const string ListDeadLetters = DeadLetterColumns + " WHERE id > $after AND " + DeadLetterFilter + " ORDER BY id LIMIT $max;";

    public const string CountDeadLetters = "SELECT count(*) FROM herald_dead_letters WHERE " + DeadLetterFilter + ";";

    public const string GetDeadLetter = DeadLetterColumns + " WHERE id = $id;";

    public const string DeleteDeadLetter = "DELETE FROM herald_dead_letters WHERE id = $id;";

    // A purge removes at most this many rows per transaction, so the write lock is held briefly.
    public const string PurgeDeadLetters =
        "DELETE FROM herald_dead_letters WHERE id IN (SELECT id FROM herald_dead_letters WHERE " + DeadLetterFilter + " ORDER BY id LIMIT 5000);";

    // Retention follows the append order over the whole log (seq), so each partition loses a prefix.
    // The newest seq the count limit removes: the (max + 1)-th from the end.
    public const string CountCutoff = "SELECT seq FROM herald_events ORDER BY seq DESC LIMIT 1 OFFSET $keep;";

    public const string FirstYoung = "SELECT seq FROM herald_events WHERE occurred_at >= $time ORDER BY seq LIMIT 1;";

    public const string MaxSeq = "SELECT max(seq) FROM herald_events;";

    public const string ChunkEnd =
        "SELECT max(seq) FROM (SELECT seq FROM herald_events WHERE seq <= $up_to ORDER BY seq LIMIT $chunk);";

    public const string ChunkPartitions =
        "SELECT partition, max(position) FROM herald_events WHERE seq <= $up_to GROUP BY partition;";

    public const string RemoveEvents = "DELETE FROM herald_events WHERE seq <= $up_to;";

    public const string RetentionReach =
        "SELECT partition, max(position), count(*) FROM herald_events WHERE seq <= $up_to GROUP BY partition;";

    // An inbox mark is kept while a copy of its envelope is retained or dead-lettered (a replay appends it again).
    public const string RemoveInboxMarks = """
        DELETE FROM herald_inbox
        WHERE partition = $partition AND position <= $up_to
          AND NOT EXISTS (SELECT 1 FROM herald_events e WHERE e.id = herald_inbox.event_id)
          AND NOT EXISTS (SELECT 1 FROM herald_dead_letters d WHERE d.event_id = herald_inbox.event_id);
        """;
}
