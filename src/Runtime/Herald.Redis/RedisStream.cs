using System.Globalization;
using Herald.Durable;
using Herald.Redis.Storage;
using StackExchange.Redis;

namespace Herald.Redis;

/// <summary>
/// The events of a <see cref="RedisEventLog"/>: a stream per (partition, event type), see <see cref="LogKeys"/>. An
/// append is one script (all its envelopes or none, positions from the partition's counter in the same script); a read
/// is one script over the streams of the asked types (one snapshot: the partition's bounds and its entries).
/// </summary>
/// <remarks>
/// No <see cref="ITransactionalStream"/>: Redis has no transaction an app's own data could share with the log, so
/// <c>bus.Enlist</c> refuses a Redis log (<see cref="NotSupportedException"/>).
/// </remarks>
internal sealed class RedisStream(RedisStore store, string origin) : IEventStream
{
    private const int ReadRetries = 8;
    private const int ScanChunk = 1_000;

    private readonly string[]?[] _types = new string[]?[store.Partitions];

    public int Partitions => store.Partitions;

    /// <inheritdoc />
    /// <remarks>
    /// One script call per batch (group commit): the script takes each partition's next positions, adds each envelope to
    /// its (partition, type) stream, and publishes one wake-up message naming the partitions it touched. A failure
    /// before the server answered (a dropped connection) may leave the batch applied: the log writer's retry then
    /// appends the same envelopes again, with the same ids, and every consumer's inbox passes the second copies.
    /// </remarks>
    public async ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        store.ThrowIfDisposed();
        cancellationToken.ThrowIfCancellationRequested();
        if (batch.Count == 0)
            return [];

        var keys = new List<RedisKey>(4 + (batch.Count * 3)) { store.Keys.Log, store.Keys.DeadLetterEvents };
        var keyIndex = new Dictionary<RedisKey, int>();
        int IndexOf(RedisKey key)
        {
            if (!keyIndex.TryGetValue(key, out var index))
            {
                keys.Add(key);
                index = keys.Count; // Lua's KEYS are 1-based
                keyIndex[key] = index;
            }
            return index;
        }

        var values = new RedisValue[Scripts.AppendFirstEnvelope - 1 + (batch.Count * Scripts.AppendValuesPerEnvelope)];
        values[0] = store.Partitions;
        values[1] = batch.Count;
        values[2] = store.Keys.Appended.ToString();
        values[3] = origin;
        var partitions = new int[batch.Count];
        var at = Scripts.AppendFirstEnvelope - 1;
        for (var i = 0; i < batch.Count; i++)
        {
            var envelope = batch[i] ?? throw new ArgumentException($"The batch holds null at index {i}.", nameof(batch));
            var partition = Partitioning.PartitionOf(envelope, store.Partitions);
            partitions[i] = partition;
            values[at++] = IndexOf(store.Keys.Events(partition, envelope.Type));
            values[at++] = IndexOf(store.Keys.Types(partition));
            values[at++] = IndexOf(store.Keys.Copies(partition));
            values[at++] = store.Keys.PartitionName(partition);
            values[at++] = envelope.Type;
            values[at++] = envelope.Id.ToString();
            values[at++] = envelope.Version;
            values[at++] = LogEntry.ToStored(envelope.OccurredAt);
            values[at++] = envelope.PartitionKey is null ? "0" : "1";
            values[at++] = envelope.PartitionKey ?? string.Empty;
            values[at++] = envelope.Headers.Count == 0 ? RedisValue.EmptyString : HeadersJson.Write(envelope.Headers);
            values[at++] = envelope.Payload;
        }

        RedisResult result;
        try
        {
            result = await store.EvaluateAsync(Scripts.Append, [.. keys], values, store.Writer).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (exception.Message.StartsWith(RedisFailures.Partitions, StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                $"The Redis log '{store.Keys.Log}' now holds partition count {exception.Message[RedisFailures.Partitions.Length..].Trim()}, but this " +
                $"process opened it with {store.Partitions}: its root key was rewritten. Nothing was appended; restart the app.", exception);
        }
        if (store.Options.WaitForReplicas > 0)
            await WaitForReplicasAsync().ConfigureAwait(false);

        var stored = (RedisResult[])result!;
        var positions = new LogPosition[batch.Count];
        for (var i = 0; i < positions.Length; i++)
            positions[i] = new LogPosition(partitions[i], (long)stored[i]);
        return positions;
    }

    private async Task WaitForReplicasAsync()
    {
        var timeout = (long)Math.Ceiling(store.Options.ReplicaTimeout.TotalMilliseconds);
        var acknowledged = (long)await store.Writer.ExecuteAsync("WAIT", store.Options.WaitForReplicas, timeout).ConfigureAwait(false);
        if (acknowledged < store.Options.WaitForReplicas)
            throw new TimeoutException(
                $"Only {acknowledged} of the {store.Options.WaitForReplicas} replica(s) asked for (RedisOptions.WaitForReplicas) acknowledged the append within " +
                $"{store.Options.ReplicaTimeout.TotalMilliseconds:0} ms; the primary at {store.Endpoints} holds it. The log writer retries it.");
    }

    /// <inheritdoc />
    /// <remarks>
    /// With types, the script reads at most <paramref name="maxCount"/> entries after the position from each type's
    /// stream and merges them by position: every event of those types up to the last one kept is among them, so the
    /// page is exact and the cost is that of the consumer's own events. Without types, it reads every type's stream of
    /// the partition (those listed in its type set; when a type was added since this process last looked, it looks again).
    /// </remarks>
    public async ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
        => (await ReadAsync(partition, afterPosition, maxCount, types, lease: null, cancellationToken).ConfigureAwait(false)).Page;

    /// <summary>
    /// The read of <see cref="RedisEventLog.ReadForConsumerAsync"/>: the same script also reads the lease's owner and
    /// epoch and looks the page's ids up in the consumer's inbox (<c>ZMSCORE</c>), so a consumer's wake-up is one round
    /// trip (and, with <c>appendfsync always</c>, one wait for the server's fsync).
    /// </summary>
    internal async ValueTask<ConsumerPage> ReadForConsumerAsync(LeaseToken lease, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lease);
        ArgumentException.ThrowIfNullOrWhiteSpace(lease.Consumer, nameof(lease));
        var (page, handled, leaseLost) = await ReadAsync(lease.Partition, afterPosition, maxCount, types, lease, cancellationToken).ConfigureAwait(false);
        return new ConsumerPage(lease, page, handled, leaseLost);
    }

    private async ValueTask<(EventPage Page, HashSet<Guid> Handled, bool LeaseLost)> ReadAsync(
        int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, LeaseToken? lease, CancellationToken cancellationToken)
    {
        store.CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        var before = lease is null ? 2 : 4;
        for (var attempt = 0; ; attempt++)
        {
            var asked = types is null
                ? _types[partition] ?? await LoadTypesAsync(partition).ConfigureAwait(false)
                : types as string[] ?? [.. types.Distinct(StringComparer.Ordinal)];
            var keys = new RedisKey[asked.Length + before];
            keys[0] = store.Keys.Log;
            keys[1] = store.Keys.Types(partition);
            if (lease is not null)
            {
                keys[2] = store.Keys.Inbox(partition, lease.Consumer);
                keys[3] = store.Keys.Leases(lease.Consumer);
            }
            for (var i = 0; i < asked.Length; i++)
                keys[i + before] = store.Keys.Events(partition, asked[i]);
            var result = (RedisResult[])(await store.EvaluateAsync(Scripts.Read, keys,
                [store.Keys.PartitionName(partition), afterPosition, maxCount, types is null ? "1" : "0", lease is null ? "0" : "1"]).ConfigureAwait(false))!;
            if ((long)result[0] == -1)
            {
                if (attempt >= ReadRetries)
                    throw new InvalidOperationException($"The types of partition {partition} kept changing while it was read; try again.");
                await LoadTypesAsync(partition).ConfigureAwait(false);
                continue;
            }
            var last = (long)result[0];
            var trim = Math.Min((long)result[1], last);
            if ((long)result[2] == 0 && last == 0)
                await store.RecreateRootAsync().ConfigureAwait(false);
            var bounds = new PartitionBounds(partition, trim + 1, last);
            var header = 3;
            var stride = 2;
            var leaseLost = false;
            if (lease is not null)
            {
                leaseLost = (string?)result[3] != lease.Owner || (long)result[4] != lease.Epoch;
                header = 5;
                stride = 3;
            }
            var envelopes = new List<EventEnvelope>((result.Length - header) / stride);
            var handled = new HashSet<Guid>();
            for (var i = header; i + stride - 1 < result.Length; i += stride)
            {
                var envelope = LogEntry.Read(result[i + 1], partition, asked[(int)(long)result[i] - 1]);
                envelopes.Add(envelope);
                if (stride == 3 && (long)result[i + 2] == 1)
                    handled.Add(envelope.Id);
            }
            var scannedTo = envelopes.Count >= maxCount ? envelopes[^1].Position : Math.Max(last, afterPosition);
            return (new EventPage(envelopes, bounds, scannedTo), handled, leaseLost);
        }
    }

    public async ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var fields = new RedisValue[store.Partitions * 2];
        for (var p = 0; p < store.Partitions; p++)
        {
            fields[p] = "last:" + store.Keys.PartitionName(p);
            fields[store.Partitions + p] = "trim:" + store.Keys.PartitionName(p);
        }
        var values = await store.RunAsync(db => db.HashGetAsync(store.Keys.Log, fields)).ConfigureAwait(false);
        var bounds = new PartitionBounds[store.Partitions];
        for (var p = 0; p < store.Partitions; p++)
        {
            var last = values[p].IsNull ? 0 : (long)values[p];
            var trim = Math.Min(values[store.Partitions + p].IsNull ? 0 : (long)values[store.Partitions + p], last);
            bounds[p] = new PartitionBounds(p, trim + 1, last);
        }
        return bounds;
    }

    /// <inheritdoc />
    /// <remarks>
    /// Occurrence times are not ordered within a partition, so this looks at each type's stream from its first retained
    /// entry until one occurred at or after the time (on the server, a thousand entries per script call), and takes the
    /// earliest of those. Compares with the stored time, which is in whole milliseconds.
    /// </remarks>
    public async ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken)
    {
        store.CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        var bounds = (await GetBoundsAsync(cancellationToken).ConfigureAwait(false))[partition];
        var found = await FindFirstYoungAsync(partition, LogEntry.AtOrAfter(time), bounds.First - 1, cancellationToken).ConfigureAwait(false);
        return found is { } first ? first.Position - 1 : bounds.Last;
    }

    /// <summary>
    /// The earliest entry of <paramref name="partition"/> after <paramref name="after"/> that occurred at or after
    /// <paramref name="stored"/> (Unix ms), with its append order; null when there is none.
    /// </summary>
    internal async Task<(long Position, long Seq)?> FindFirstYoungAsync(int partition, long stored, long after, CancellationToken cancellationToken)
    {
        (long Position, long Seq)? earliest = null;
        foreach (var type in await LoadTypesAsync(partition).ConfigureAwait(false))
        {
            var from = after;
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var result = (RedisResult[])(await store.EvaluateAsync(Scripts.FindYoung, [store.Keys.Events(partition, type)],
                    [from, stored, ScanChunk]).ConfigureAwait(false))!;
                if ((long)result[0] == 1)
                {
                    var position = (long)result[1];
                    if (earliest is null || position < earliest.Value.Position)
                        earliest = (position, (long)result[2]);
                    break;
                }
                if ((long)result[2] < ScanChunk || (long)result[1] <= from)
                    break;
                from = (long)result[1];
            }
        }
        return earliest;
    }

    /// <summary>The types that have a stream in <paramref name="partition"/>, read now (and kept for reads of every type).</summary>
    internal async Task<string[]> LoadTypesAsync(int partition)
    {
        var members = await store.RunAsync(db => db.SetMembersAsync(store.Keys.Types(partition))).ConfigureAwait(false);
        var types = Array.ConvertAll(members, m => (string)m!);
        Array.Sort(types, StringComparer.Ordinal);
        _types[partition] = types;
        return types;
    }

    internal static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);
}
