using System.Globalization;
using Herald.Durable;
using Herald.Redis.Storage;
using StackExchange.Redis;

namespace Herald.Redis;

/// <summary>
/// Offsets, the inbox and fenced commits of a <see cref="RedisEventLog"/>. A commit is one script: it checks that the
/// lease still names the committer at its epoch (fencing) and only then writes the inbox marks, the dead letter and
/// the offset; a script runs atomically, so a commit is written whole or not at all, and no other member's commit can
/// come between the check and the writes.
/// </summary>
/// <remarks>
/// There is no store transaction for handlers (<see cref="BeginTransactionAsync"/> returns null): a handler's own
/// writes elsewhere are not part of the commit, and the inbox (marks committed with the offset) is what keeps a
/// redelivered envelope from being handled twice by a consumer that checks <see cref="HandlingScope.AlreadyHandled"/>.
/// </remarks>
internal sealed class RedisCheckpoints(RedisStore store) : ICheckpointStore
{
    public async ValueTask<IReadOnlyList<ConsumerOffset>> GetOffsetsAsync(string consumer, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        cancellationToken.ThrowIfCancellationRequested();
        var entries = await store.RunAsync(db => db.HashGetAllAsync(store.Keys.Offsets(consumer))).ConfigureAwait(false);
        var times = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var name = (string)entry.Name!;
            if (name.StartsWith("at:", StringComparison.Ordinal) && entry.Value.TryParse(out long at))
                times[name[3..]] = at;
        }
        var offsets = new List<ConsumerOffset>();
        foreach (var entry in entries)
        {
            var name = (string)entry.Name!;
            if (!int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var partition) || partition >= store.Partitions
                || !entry.Value.TryParse(out long position))
                continue;
            var updatedAt = times.TryGetValue(name, out var milliseconds) ? DateTimeOffset.FromUnixTimeMilliseconds(milliseconds) : DateTimeOffset.UnixEpoch;
            offsets.Add(new ConsumerOffset(consumer, partition, position, updatedAt));
        }
        offsets.Sort(static (a, b) => a.Partition.CompareTo(b.Partition));
        return offsets;
    }

    public async ValueTask SetOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        store.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        cancellationToken.ThrowIfCancellationRequested();
        await store.EvaluateAsync(Scripts.SetOffset,
            [store.Keys.Offsets(consumer), store.Keys.Leases(consumer), store.Keys.Consumers],
            [store.Keys.PartitionName(partition), position, LogEntry.ToStored(DateTimeOffset.UtcNow), consumer]).ConfigureAwait(false);
    }

    public async ValueTask<IReadOnlyList<string>> ListConsumersAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var members = await store.RunAsync(db => db.SetMembersAsync(store.Keys.Consumers)).ConfigureAwait(false);
        var consumers = Array.ConvertAll(members, m => (string)m!);
        Array.Sort(consumers, StringComparer.Ordinal);
        return consumers;
    }

    /// <inheritdoc />
    /// <remarks>
    /// One <c>ZMSCORE</c> per partition the envelopes come from (usually one), sent together. An envelope read from the
    /// log is looked up in its partition's inbox; one that carries no position (never appended) in the partition its key
    /// or id hashes to, which is where any copy of it is.
    /// </remarks>
    public async ValueTask<IReadOnlySet<Guid>> FindHandledAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(envelopes);
        cancellationToken.ThrowIfCancellationRequested();
        var handled = new HashSet<Guid>();
        if (envelopes.Count == 0)
            return handled;
        var byPartition = new Dictionary<int, List<EventEnvelope>>();
        foreach (var envelope in envelopes)
        {
            ArgumentNullException.ThrowIfNull(envelope, nameof(envelopes));
            var partition = envelope.Position > 0 ? envelope.Partition : Partitioning.PartitionOf(envelope, store.Partitions);
            if (!byPartition.TryGetValue(partition, out var list))
                byPartition[partition] = list = [];
            list.Add(envelope);
        }
        var lookups = byPartition.Select(group => (Envelopes: group.Value, Scores: store.RunAsync(db => db.SortedSetScoresAsync(
            store.Keys.Inbox(group.Key, consumer), [.. group.Value.Select(e => (RedisValue)e.Id.ToString())])))).ToList();
        foreach (var (group, scores) in lookups)
        {
            var found = await scores.ConfigureAwait(false);
            for (var i = 0; i < group.Count; i++)
            {
                if (found[i] is not null)
                    handled.Add(group[i].Id);
            }
        }
        return handled;
    }

    public ValueTask<IStoreTransaction?> BeginTransactionAsync(CancellationToken cancellationToken)
        => ValueTask.FromResult<IStoreTransaction?>(null);

    public async ValueTask CommitAsync(ProgressCommit commit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commit);
        ArgumentNullException.ThrowIfNull(commit.Lease);
        ArgumentNullException.ThrowIfNull(commit.Marks);
        if (commit.Transaction is not null)
            throw new ArgumentException("The Redis log has no store transaction: ProgressCommit.Transaction must be null.", nameof(commit));
        var lease = commit.Lease;
        store.CheckPartition(lease.Partition);
        ArgumentOutOfRangeException.ThrowIfNegative(commit.Offset);
        cancellationToken.ThrowIfCancellationRequested();

        var consumer = lease.Consumer;
        var letter = commit.DeadLetter;
        var letterConsumer = letter?.Consumer;
        var letterType = letter?.Envelope.Type ?? string.Empty;
        RedisKey[] keys =
        [
            store.Keys.Leases(consumer),
            store.Keys.Offsets(consumer),
            store.Keys.Inbox(lease.Partition, consumer),
            store.Keys.Consumers,
            store.Keys.Log,
            store.Keys.DeadLetters,
            store.Keys.DeadLettersAll,
            RedisDeadLetters.ConsumerIndex(store.Keys, letterConsumer),
            store.Keys.DeadLettersOfType(letterType),
            RedisDeadLetters.PairIndex(store.Keys, letterConsumer, letterType),
            store.Keys.DeadLetterEvents,
        ];
        var values = new RedisValue[10 + (commit.Marks.Count * 2)];
        values[0] = store.Keys.PartitionName(lease.Partition);
        values[1] = lease.Owner;
        values[2] = lease.Epoch;
        values[3] = commit.Offset;
        values[4] = LogEntry.ToStored(DateTimeOffset.UtcNow);
        values[5] = consumer;
        values[6] = commit.Marks.Count;
        var at = 7;
        foreach (var mark in commit.Marks)
        {
            values[at++] = mark.EventId.ToString();
            values[at++] = mark.Position;
        }
        if (letter is null)
        {
            values[at] = "0";
            values[at + 1] = RedisValue.EmptyString;
            values[at + 2] = RedisValue.EmptyString;
        }
        else
        {
            values[at] = "1";
            values[at + 1] = DeadLetterJson.Write(letter);
            values[at + 2] = letter.Envelope.Id.ToString();
        }
        var result = (long)await store.EvaluateAsync(Scripts.Commit, keys, values).ConfigureAwait(false);
        if (result < 0)
            throw new LeaseLostException(lease);
    }
}
