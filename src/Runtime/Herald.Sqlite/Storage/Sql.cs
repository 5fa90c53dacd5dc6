namespace Herald.Sqlite.Storage;

/// <summary>The statements of the log other than the append (see <see cref="EventAppender"/>) and the schema.</summary>
internal static class Sql
{
    public const string ReadEvents =
        "SELECT " + EnvelopeRow.Columns + " FROM herald_events WHERE position > $after ORDER BY position LIMIT $max;";

    // One statement, so both values come from one snapshot. The sequence keeps the last position given even when
    // retention removed every row.
    public const string Bounds =
        "SELECT (SELECT min(position) FROM herald_events), (SELECT seq FROM sqlite_sequence WHERE name = 'herald_events');";

    public const string LastPosition =
        "SELECT seq FROM sqlite_sequence WHERE name = 'herald_events';";

    public const string GetOffset =
        "SELECT position FROM herald_consumer_offsets WHERE consumer = $consumer;";

    public const string SetOffset = """
        INSERT INTO herald_consumer_offsets (consumer, position, updated_at) VALUES ($consumer, $position, $now)
        ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at;
        """;

    // Positions follow commit order, not time: the first envelope in log order that occurred at or after the time.
    public const string FirstAtOrAfter =
        "SELECT position FROM herald_events WHERE occurred_at >= $time ORDER BY position LIMIT 1;";

    public const string InInbox =
        "SELECT EXISTS (SELECT 1 FROM herald_inbox WHERE consumer = $consumer AND event_id = $id);";

    // The newest position is kept: retention removes a mark only once every copy of the envelope it covers is gone.
    public const string MarkInbox = """
        INSERT INTO herald_inbox (consumer, event_id, position) VALUES ($consumer, $id, $position)
        ON CONFLICT (consumer, event_id) DO UPDATE SET position = max(position, excluded.position);
        """;

    public const string AddDeadLetter = """
        INSERT INTO herald_dead_letters
            (consumer, position, event_id, type, version, occurred_at, partition_key, headers, payload,
             reason, exception, attempts, dead_lettered_at)
        VALUES ($consumer, $position, $id, $type, $version, $occurred_at, $partition_key, $headers, $payload,
                $reason, $exception, $attempts, $at)
        RETURNING id;
        """;

    private const string DeadLetterColumns =
        "SELECT id, consumer, reason, exception, attempts, dead_lettered_at, position, event_id, type, version, occurred_at, partition_key, headers, payload FROM herald_dead_letters";

    /// <summary>Where the envelope's columns start in <see cref="ListDeadLetters"/> rows.</summary>
    public const int DeadLetterEnvelopeOrdinal = 6;

    public const string ListDeadLetters = DeadLetterColumns + " ORDER BY id LIMIT $max;";

    public const string ListConsumerDeadLetters = DeadLetterColumns + " WHERE consumer = $consumer ORDER BY id LIMIT $max;";

    public const string DeleteDeadLetter = "DELETE FROM herald_dead_letters WHERE id = $id;";

    // Retention. The newest position the count limit removes: the (max + 1)-th from the end.
    public const string CountCutoff =
        "SELECT position FROM herald_events ORDER BY position DESC LIMIT 1 OFFSET $keep;";

    public const string MaxPosition = "SELECT max(position) FROM herald_events;";

    // The end of the next chunk to remove: at most $chunk rows, so the write lock is held briefly.
    public const string ChunkEnd =
        "SELECT max(position) FROM (SELECT position FROM herald_events WHERE position <= $up_to ORDER BY position LIMIT $chunk);";

    public const string RemoveEvents = "DELETE FROM herald_events WHERE position <= $up_to;";

    // An inbox mark is kept while a copy of its envelope is retained or dead-lettered (a replay appends it again).
    public const string RemoveInboxMarks = """
        DELETE FROM herald_inbox
        WHERE position <= $up_to
          AND NOT EXISTS (SELECT 1 FROM herald_events e WHERE e.id = herald_inbox.event_id)
          AND NOT EXISTS (SELECT 1 FROM herald_dead_letters d WHERE d.event_id = herald_inbox.event_id);
        """;
}
