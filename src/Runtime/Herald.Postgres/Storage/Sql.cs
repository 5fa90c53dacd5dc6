namespace Herald.Postgres.Storage;

/// <summary>
/// The statements of one log, qualified with its (validated, quoted) schema, so they never depend on the connection's
/// <c>search_path</c>. Parameters are positional (<c>$1</c>, ...): Npgsql sends them as they are, without rewriting the
/// text. Built once per log.
/// </summary>
internal sealed class Sql
{
    /// <summary>The columns <see cref="EnvelopeRow.Read"/> expects, in order.</summary>
    public const string EnvelopeColumns = "partition, position, id, type, version, occurred_at, partition_key, headers::text, payload";

    public Sql(string schema)
    {
        var s = SchemaName.Quote(schema);
        Schema = s;
        Channel = schema + "_appended";

        // The append (the log writer's and the outbox's): the partitions' rows are locked in partition order (so two
        // appenders never wait for each other in a cycle), their last positions raised by the batch's counts, and the
        // rows inserted at the positions those counts reserved. The row locks are held until the transaction ends:
        // that is what makes positions of a partition visible in position order (see PostgresStream).
        LockPartitions = $"SELECT partition FROM {s}.partitions WHERE partition = ANY($1) ORDER BY partition FOR UPDATE";
        ReservePositions = $"""
            UPDATE {s}.partitions p SET last_position = p.last_position + c.n
            FROM unnest($1::int[], $2::bigint[]) AS c(partition, n)
            WHERE p.partition = c.partition
            RETURNING p.partition, p.last_position
            """;
        InsertEvents = $"""
            INSERT INTO {s}.events (partition, position, id, type, version, occurred_at, partition_key, headers, payload)
            SELECT r.partition, p.last_position - r.n + r.k, r.id, r.type, r.version, r.occurred_at, r.partition_key, r.headers, r.payload
            FROM unnest($1::int[], $2::bigint[], $3::bigint[], $4::uuid[], $5::text[], $6::int[], $7::timestamptz[], $8::text[], $9::jsonb[], $10::bytea[])
                 WITH ORDINALITY AS r(partition, k, n, id, type, version, occurred_at, partition_key, headers, payload, ord)
            JOIN {s}.partitions p ON p.partition = r.partition
            ORDER BY r.ord
            """;
        // Sent in the append's transaction: PostgreSQL delivers it when (and only if) the transaction commits.
        Notify = "SELECT pg_notify($1, $2)";

        // Reads: one statement, so the envelopes and the bounds come from one snapshot.
        ReadPartition = Read(s, types: false, consumer: false);
        // One index range per type on (partition, type, position), merged by position: exact, and its cost is that of
        // the consumer's own events.
        ReadPartitionTypes = Read(s, types: true, consumer: false);
        // A consumer's read (IEventLog.ReadForConsumerAsync): the same, with each envelope's inbox mark (one index
        // probe of the inbox's key per envelope) and the partition's lease, in the same statement and snapshot.
        ReadForConsumer = Read(s, types: false, consumer: true);
        ReadForConsumerTypes = Read(s, types: true, consumer: true);
        AllBounds = $"""
            SELECT p.partition, (SELECT min(e.position) FROM {s}.events e WHERE e.partition = p.partition), p.last_position
            FROM {s}.partitions p ORDER BY p.partition
            """;
        FirstAtOrAfter = $"SELECT position FROM {s}.events WHERE partition = $1 AND occurred_at >= $2 ORDER BY position LIMIT 1";
        LastPosition = $"SELECT last_position FROM {s}.partitions WHERE partition = $1";

        // Offsets and the inbox.
        GetOffsets = $"SELECT partition, position, updated_at FROM {s}.consumer_offsets WHERE consumer = $1 ORDER BY partition";
        SetOffset = $"""
            INSERT INTO {s}.consumer_offsets (consumer, partition, position, updated_at) VALUES ($1, $2, $3, now())
            ON CONFLICT (consumer, partition) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at
            """;
        ListConsumers = $"""
            SELECT consumer FROM {s}.consumer_offsets UNION SELECT consumer FROM {s}.leases
            UNION SELECT consumer FROM {s}.members ORDER BY 1
            """;
        FindHandled = $"SELECT event_id FROM {s}.inbox WHERE consumer = $1 AND event_id = ANY($2)";
        // The newest position is kept: retention removes a mark only once every copy of the envelope it covers is gone.
        // One batch may mark the same id twice (a copy appended again): grouped first, since ON CONFLICT cannot touch a
        // row twice in one statement.
        MarkInbox = $"""
            INSERT INTO {s}.inbox (consumer, event_id, partition, position)
            SELECT $1, m.id, $2, max(m.position) FROM unnest($3::uuid[], $4::bigint[]) AS m(id, position) GROUP BY m.id
            ON CONFLICT (consumer, event_id) DO UPDATE SET partition = excluded.partition, position = greatest(inbox.position, excluded.position)
            """;

        // Leases. A commit takes the lease row FOR SHARE: a member taking the partition (an UPDATE of the row) waits for
        // the commit, and a commit after the take sees the new owner or epoch and is refused. Holding the row, the
        // transaction also bounds how long it may then sit idle ($5 ms, for this transaction only): a committer frozen
        // (SIGSTOP, a VM paused) between this statement and its COMMIT would otherwise hold the row, and so keep every
        // other member from taking the partition, for as long as it stays frozen; the server ends such a session and
        // its commit fails, so its events go to the next owner.
        // The third column is the synchronous_commit the transaction commits with: a commit in the handler's transaction
        // keeps the session's (on by default); a commit of Herald's own transaction (nothing of the handler's in it) sets
        // it off for that transaction only, see PostgresCheckpoints.
        LeaseIsCurrent = $"SELECT 1, set_config('idle_in_transaction_session_timeout', $5, true), current_setting('synchronous_commit') FROM {s}.leases WHERE consumer = $1 AND partition = $2 AND owner = $3 AND epoch = $4 FOR SHARE";
        LeaseIsCurrentCommitAsync = $"SELECT 1, set_config('idle_in_transaction_session_timeout', $5, true), set_config('synchronous_commit', 'off', true) FROM {s}.leases WHERE consumer = $1 AND partition = $2 AND owner = $3 AND epoch = $4 FOR SHARE";
        GetLeases = $"SELECT partition, owner, expires_at, epoch FROM {s}.leases WHERE consumer = $1 ORDER BY partition";
        // Taken when nobody holds it at $4 (never taken, released, expired), raising the epoch; extended at the same
        // epoch when the caller holds it; nothing (no row) when another member holds it.
        AcquireLease = $"""
            INSERT INTO {s}.leases AS l (consumer, partition, owner, expires_at, epoch) VALUES ($1, $2, $3, $5, 1)
            ON CONFLICT (consumer, partition) DO UPDATE
                SET owner = excluded.owner, expires_at = excluded.expires_at,
                    epoch = CASE WHEN l.owner IS NOT NULL AND l.expires_at > $4 THEN l.epoch ELSE l.epoch + 1 END
                WHERE l.owner IS NULL OR l.expires_at <= $4 OR l.owner = excluded.owner
            RETURNING epoch
            """;
        RenewLeases = $"UPDATE {s}.leases SET expires_at = $3 WHERE consumer = $1 AND owner = $2 RETURNING partition, epoch";
        ReleaseLease = $"""
            UPDATE {s}.leases SET owner = NULL, expires_at = 'epoch'
            WHERE consumer = $1 AND partition = $2 AND owner = $3 AND epoch = $4
            """;
        // An operator's offset move raises the epoch, so the partition's owner cannot commit over it.
        FenceLease = $"""
            INSERT INTO {s}.leases AS l (consumer, partition, owner, expires_at, epoch) VALUES ($1, $2, NULL, 'epoch', 1)
            ON CONFLICT (consumer, partition) DO UPDATE SET epoch = l.epoch + 1
            """;
        Heartbeat = $"""
            INSERT INTO {s}.members (consumer, member, expires_at) VALUES ($1, $2, $3)
            ON CONFLICT (consumer, member) DO UPDATE SET expires_at = excluded.expires_at
            """;
        ForgetMembers = $"DELETE FROM {s}.members WHERE consumer = $1 AND expires_at <= $2";
        LiveMembers = $"SELECT member, expires_at FROM {s}.members WHERE consumer = $1 AND expires_at > $2";
        Leave = $"DELETE FROM {s}.members WHERE consumer = $1 AND member = $2";

        // Dead letters.
        AddDeadLetter = $"""
            INSERT INTO {s}.dead_letters
                (consumer, partition, position, event_id, type, version, occurred_at, partition_key, headers, payload,
                 reason, exception, attempts, dead_lettered_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14)
            RETURNING id
            """;
        var letters = $"SELECT id, consumer, reason, exception, attempts, dead_lettered_at, partition, position, event_id, type, version, occurred_at, partition_key, headers::text, payload FROM {s}.dead_letters";
        const string filter = "($1::text IS NULL OR consumer = $1) AND ($2::text IS NULL OR type = $2)";
        ListDeadLetters = $"{letters} WHERE id > $3 AND {filter} ORDER BY id LIMIT $4";
        CountDeadLetters = $"SELECT count(*) FROM {s}.dead_letters WHERE {filter}";
        GetDeadLetter = $"{letters} WHERE id = $1";
        DeleteDeadLetter = $"DELETE FROM {s}.dead_letters WHERE id = $1";
        PurgeDeadLetters = $"DELETE FROM {s}.dead_letters WHERE id IN (SELECT id FROM {s}.dead_letters WHERE {filter} ORDER BY id LIMIT {RetentionChunk})";

        // Retention follows the append order over the whole log (seq), so each partition loses a prefix.
        CountCutoff = $"SELECT seq FROM {s}.events ORDER BY seq DESC LIMIT 1 OFFSET $1";
        FirstYoung = $"SELECT seq FROM {s}.events WHERE occurred_at >= $1 ORDER BY seq LIMIT 1";
        MaxSeq = $"SELECT max(seq) FROM {s}.events";
        RetentionReach = $"SELECT partition, max(position), count(*) FROM {s}.events WHERE seq <= $1 GROUP BY partition";
        ChunkEnd = $"SELECT max(seq) FROM (SELECT seq FROM {s}.events WHERE seq <= $1 ORDER BY seq LIMIT $2) c";
        RemoveChunk = $"""
            WITH removed AS (DELETE FROM {s}.events WHERE seq <= $1 RETURNING partition, position)
            SELECT partition, max(position), count(*) FROM removed GROUP BY partition
            """;
        // An inbox mark is kept while a copy of its envelope is retained or dead-lettered (a replay appends it again).
        RemoveInboxMarks = $"""
            DELETE FROM {s}.inbox i
            WHERE i.partition = $1 AND i.position <= $2
              AND NOT EXISTS (SELECT 1 FROM {s}.events e WHERE e.id = i.event_id)
              AND NOT EXISTS (SELECT 1 FROM {s}.dead_letters d WHERE d.event_id = i.event_id)
            """;
    }

    /// <summary>How many rows one retention or purge statement removes at most.</summary>
    public const int RetentionChunk = 5_000;

    public string Schema { get; }

    /// <summary>The LISTEN/NOTIFY channel of this log: <c>&lt;schema&gt;_appended</c>.</summary>
    public string Channel { get; }

    public string LockPartitions { get; }
    public string ReservePositions { get; }
    public string InsertEvents { get; }
    public string Notify { get; }
    public string ReadPartition { get; }
    public string ReadPartitionTypes { get; }
    public string ReadForConsumer { get; }
    public string ReadForConsumerTypes { get; }
    public string AllBounds { get; }
    public string FirstAtOrAfter { get; }
    public string LastPosition { get; }
    public string GetOffsets { get; }
    public string SetOffset { get; }
    public string ListConsumers { get; }
    public string FindHandled { get; }
    public string MarkInbox { get; }
    public string LeaseIsCurrent { get; }
    public string LeaseIsCurrentCommitAsync { get; }
    public string GetLeases { get; }
    public string AcquireLease { get; }
    public string RenewLeases { get; }
    public string ReleaseLease { get; }
    public string FenceLease { get; }
    public string Heartbeat { get; }
    public string ForgetMembers { get; }
    public string LiveMembers { get; }
    public string Leave { get; }
    public string AddDeadLetter { get; }
    public string ListDeadLetters { get; }
    public string CountDeadLetters { get; }
    public string GetDeadLetter { get; }
    public string DeleteDeadLetter { get; }
    public string PurgeDeadLetters { get; }
    public string CountCutoff { get; }
    public string FirstYoung { get; }
    public string MaxSeq { get; }
    public string RetentionReach { get; }
    public string ChunkEnd { get; }
    public string RemoveChunk { get; }
    public string RemoveInboxMarks { get; }

    /// <summary>
    /// A read of one partition: $1 the partition, $2 the position to read after, $3 the most rows; with
    /// <paramref name="types"/>, $4 the types. Columns: first, last, then <see cref="EnvelopeColumns"/> (null when the
    /// page is empty: one row then). With <paramref name="consumer"/>, the next parameter is the consumer, and three
    /// columns follow: whether the consumer's inbox holds the envelope, the lease's owner and its epoch (null when the
    /// partition was never taken).
    /// </summary>
    private static string Read(string s, bool types, bool consumer)
    {
        var c = types ? "$5" : "$4";
        var lease = consumer
            ? $", (SELECT l.owner FROM {s}.leases l WHERE l.consumer = {c} AND l.partition = $1) AS owner" +
              $", (SELECT l.epoch FROM {s}.leases l WHERE l.consumer = {c} AND l.partition = $1) AS epoch"
            : "";
        var marks = consumer
            ? $", EXISTS (SELECT 1 FROM {s}.inbox i WHERE i.consumer = {c} AND i.event_id = e.id), b.owner, b.epoch"
            : "";
        var page = types
            ? $"""
                SELECT x.* FROM unnest($4::text[]) AS t(type)
                CROSS JOIN LATERAL (SELECT * FROM {s}.events ev WHERE ev.partition = $1 AND ev.type = t.type AND ev.position > $2
                                    ORDER BY ev.position LIMIT $3) x
                ORDER BY x.position LIMIT $3
                """
            : $"SELECT * FROM {s}.events WHERE partition = $1 AND position > $2 ORDER BY position LIMIT $3";
        return $"""
            SELECT b.first, b.last, e.partition, e.position, e.id, e.type, e.version, e.occurred_at, e.partition_key, e.headers::text, e.payload{marks}
            FROM (SELECT (SELECT min(position) FROM {s}.events WHERE partition = $1) AS first, last_position AS last{lease}
                  FROM {s}.partitions WHERE partition = $1) b
            LEFT JOIN LATERAL ({page}) e ON true
            ORDER BY e.position
            """;
    }
}
