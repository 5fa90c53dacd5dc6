using Herald.Durable;
using Herald.Redis.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Herald.Redis;

/// <summary>
/// The durable log on Redis Streams. Register it with <c>AddHerald(o =&gt; o.UseRedis("localhost:6379"))</c> or from
/// configuration (<c>Herald:Transport=Redis</c>, <c>Herald:Redis:Configuration</c>, <c>Herald:Redis:KeyPrefix</c>).
/// Any number of processes on any number of machines may share it: each partition of a consumer is owned by one of
/// them at a time.
/// </summary>
/// <remarks>
/// <para><b>Layout.</b> Every key starts with <see cref="RedisOptions.KeyPrefix"/> (with
/// <see cref="RedisOptions.CreateIfMissing"/> false, tools open only a prefix that holds a log, writing nothing to open it); events are kept in a stream per
/// partition and event type, with positions from a per-partition counter given out in the same script that adds the
/// entries (see <see cref="LogKeys"/> for every key and why). Every write is one Lua script, so it is atomic: an append
/// (all of its envelopes or none), a consumer's commit (the lease's epoch is checked in the script that writes the
/// inbox marks, the dead letter and the offset: an owner that lost its partition cannot commit), a lease change.</para>
/// <para><b>Durability.</b> <see cref="Durability.Persisted"/> means the server applied the append and answered. What a
/// server crash keeps then depends on its AOF settings: <c>appendonly yes</c> with <c>appendfsync always</c> loses
/// nothing acknowledged; <c>everysec</c> can lose about the last second; with AOF off, everything since the last
/// snapshot. The log warns at startup when AOF is off (and when the eviction policy could drop its keys);
/// <see cref="RedisOptions.WaitForReplicas"/> adds Redis's <c>WAIT</c> for replicas.</para>
/// <para><b>Reading and wake-ups.</b> Reads are scripts over the streams of the asked types (a consumer reads only its
/// own events). This process's consumers wake on a pub/sub message each append publishes
/// (<see cref="IAppendNotifications"/>); polling stays as the fallback.</para>
/// <para><b>The handler's transaction</b> is null: Redis has no transaction an app's writes could share with the log
/// (so no outbox either: <c>bus.Enlist</c> refuses a Redis log). The inbox marks and the offset still commit together.</para>
/// <para><b>Times</b> are stored in Unix milliseconds: an envelope read back has its <see cref="EventEnvelope.OccurredAt"/>
/// truncated to the millisecond.</para>
/// </remarks>
public sealed class RedisEventLog : IEventLog, IAppendNotifications, IRetentionPreview
{
    /// <summary>The transport name of this log.</summary>
    public const string TransportName = "Redis";

    // Positions per retention script call: each call removes at most this many entries per stream, so the server is
    // never held up by one huge trim.
    private const long RetentionChunk = 5_000;

    private readonly RedisStore _store;
    private readonly RedisStream _stream;
    private readonly RedisCheckpoints _checkpoints;
    private readonly RedisLeases _leases;
    private readonly RedisDeadLetters _deadLetters;
    private readonly RedisNotifications _notifications;

    /// <summary>Opens (and creates when missing) the log on the server that <paramref name="configuration"/> names.</summary>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    public RedisEventLog(string configuration)
        : this(new RedisOptions { Configuration = configuration })
    {
    }

    /// <summary>Opens (and creates when missing) the log with <paramref name="options"/>.</summary>
    /// <param name="options">The configuration, key prefix, partition count of a new log, and the durability settings.</param>
    /// <param name="loggerFactory">Where startup warnings and connection events go; null: nowhere.</param>
    /// <exception cref="ArgumentException">The configuration or an option is not usable; the message says why.</exception>
    /// <exception cref="InvalidOperationException">
    /// The server cannot be reached, is a read-only replica, or holds a log of this prefix with another partition count
    /// or format; the message says what to fix (and names the endpoints, never the configuration string).
    /// </exception>
    public RedisEventLog(RedisOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var copy = options.Clone();
        copy.Validate(nameof(options));
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("Herald.Redis");
        _store = RedisStore.Open(copy, logger);
        var origin = Guid.NewGuid().ToString("N");
        _stream = new RedisStream(_store, origin);
        _checkpoints = new RedisCheckpoints(_store);
        _leases = new RedisLeases(_store);
        _deadLetters = new RedisDeadLetters(_store);
        _notifications = new RedisNotifications(_store, origin);
    }

    /// <inheritdoc />
    public string Transport => TransportName;

    /// <summary>The prefix of the log's keys.</summary>
    public string KeyPrefix => _store.Keys.Prefix;

    /// <summary>The server's endpoints, as configured (no password, no options).</summary>
    public string Endpoints => _store.Endpoints;

    /// <inheritdoc />
    public IEventStream Stream => _stream;

    /// <inheritdoc />
    public ICheckpointStore Checkpoints => _checkpoints;

    /// <inheritdoc />
    public ILeaseStore Leases => _leases;

    /// <inheritdoc />
    public IDeadLetterStore DeadLetters => _deadLetters;

    /// <inheritdoc />
    public IDisposable Subscribe(Action<int> appended) => _notifications.Subscribe(appended);

    /// <inheritdoc />
    /// <remarks>
    /// One script: the page, the lease's owner and epoch, and a <c>ZMSCORE</c> of the page's ids in the consumer's
    /// inbox, where the parts would take three commands (two round trips when pipelined).
    /// </remarks>
    public ValueTask<ConsumerPage> ReadForConsumerAsync(
        LeaseToken lease, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
        => _stream.ReadForConsumerAsync(lease, afterPosition, maxCount, types, cancellationToken);

    /// <inheritdoc />
    /// <remarks>
    /// <para>Removes, in append order over the whole log, the events beyond <see cref="RetentionPolicy.MaxEvents"/> and
    /// those before the first that occurred within <see cref="RetentionPolicy.MaxAge"/>, so each partition loses a prefix
    /// (<c>XTRIM MINID</c> on each of its streams, 5,000 positions per script call). With
    /// <see cref="RedisOptions.RetentionWaitsForConsumers"/> (the default) a partition is never trimmed past the smallest
    /// committed offset any consumer has in it; the log says so (information) when that holds events back. Also removes
    /// the inbox marks of removed envelopes whose id neither a dead letter nor a retained replayed copy holds.</para>
    /// <para>The count limit counts events appended since the newest removed one: when a consumer holds a partition back,
    /// the log keeps more than <see cref="RetentionPolicy.MaxEvents"/> (those it waits for).</para>
    /// </remarks>
    public async ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        if (policy.KeepsEverything)
            return 0L;

        var (cuts, consumers) = await PlanRetentionAsync(policy, now, logHeldBack: true, cancellationToken).ConfigureAwait(false);
        var removed = 0L;
        foreach (var cut in cuts)
        {
            RedisKey[] inboxes = [.. consumers.Select(c => _store.Keys.Inbox(cut.Partition, c))];
            for (var step = cut.TrimmedThrough; step < cut.UpTo;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                step = Math.Min(cut.UpTo, step + RetentionChunk);
                var result = (RedisResult[])(await _store.EvaluateAsync(Scripts.Trim,
                    [_store.Keys.Log, _store.Keys.Copies(cut.Partition), _store.Keys.DeadLetterEvents, .. cut.Streams, .. inboxes],
                    [cut.Name, step, cut.Streams.Length]).ConfigureAwait(false))!;
                removed += (long)result[0];
            }
        }
        return removed;
    }

    /// <inheritdoc />
    /// <remarks>The same plan as <see cref="ApplyRetentionAsync"/> (held back by consumers' offsets when
    /// <see cref="RedisOptions.RetentionWaitsForConsumers"/>), without the trim; positions are gapless, so a cut removes
    /// every position after what was already trimmed, through its end.</remarks>
    public async ValueTask<IReadOnlyList<RetentionCut>> PreviewRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        policy.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        var preview = new RetentionCut[_stream.Partitions];
        for (var i = 0; i < preview.Length; i++)
            preview[i] = new RetentionCut(i, 0, 0);
        if (policy.KeepsEverything)
            return preview;
        var (cuts, _) = await PlanRetentionAsync(policy, now, logHeldBack: false, cancellationToken).ConfigureAwait(false);
        foreach (var cut in cuts)
            preview[cut.Partition] = new RetentionCut(cut.Partition, cut.UpTo, cut.UpTo - cut.TrimmedThrough);
        return preview;
    }

    /// <summary>Per partition with something to remove: its streams, what is already trimmed, and how far the policy trims.</summary>
    private async Task<(List<PartitionCut> Cuts, IReadOnlyList<string> Consumers)> PlanRetentionAsync(RetentionPolicy policy, DateTimeOffset now, bool logHeldBack, CancellationToken cancellationToken)
    {
        var appended = await _store.RunAsync(db => db.HashGetAsync(_store.Keys.Log, "seq")).ConfigureAwait(false);
        var lastSeq = appended.IsNull ? 0L : (long)appended;
        var cut = 0L;
        if (policy.MaxEvents is { } maxEvents)
            cut = Math.Max(cut, lastSeq - maxEvents);
        var bounds = await _stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        if (policy.MaxAge is { } maxAge)
        {
            var young = LogEntry.AtOrAfter(now - maxAge);
            long? firstYoungSeq = null;
            foreach (var partition in bounds)
            {
                if (await _stream.FindFirstYoungAsync(partition.Partition, young, partition.First - 1, cancellationToken).ConfigureAwait(false) is { } found
                    && (firstYoungSeq is null || found.Seq < firstYoungSeq))
                    firstYoungSeq = found.Seq;
            }
            cut = Math.Max(cut, firstYoungSeq is { } seq ? seq - 1 : lastSeq);
        }
        var cuts = new List<PartitionCut>();
        if (cut <= 0)
            return (cuts, []);

        var consumers = await _checkpoints.ListConsumersAsync(cancellationToken).ConfigureAwait(false);
        foreach (var partition in bounds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var types = await _stream.LoadTypesAsync(partition.Partition).ConfigureAwait(false);
            if (types.Length == 0)
                continue;
            var streams = Array.ConvertAll(types, t => _store.Keys.Events(partition.Partition, t));
            var name = _store.Keys.PartitionName(partition.Partition);
            var found = (RedisResult[])(await _store.EvaluateAsync(Scripts.LastAtOrBelowSeq, [_store.Keys.Log, .. streams], [name, cut]).ConfigureAwait(false))!;
            var upTo = (long)found[0];
            var trim = (long)found[1];
            if (upTo <= trim)
                continue;
            if (_store.Options.RetentionWaitsForConsumers)
                upTo = await HeldBackAsync(partition.Partition, upTo, consumers, logHeldBack).ConfigureAwait(false);
            if (upTo > trim)
                cuts.Add(new PartitionCut(partition.Partition, streams, name, trim, upTo));
        }
        return (cuts, consumers);
    }

    private sealed record PartitionCut(int Partition, RedisKey[] Streams, RedisValue Name, long TrimmedThrough, long UpTo);

    /// <summary>The furthest <paramref name="partition"/> may be trimmed without passing a consumer's committed offset.</summary>
    private async Task<long> HeldBackAsync(int partition, long upTo, IReadOnlyList<string> consumers, bool log)
    {
        var name = _store.Keys.PartitionName(partition);
        var offsets = consumers.Select(c => (Consumer: c, Offset: _store.RunAsync(db => db.HashGetAsync(_store.Keys.Offsets(c), name)))).ToList();
        var limit = upTo;
        string? holder = null;
        foreach (var (consumer, offset) in offsets)
        {
            var value = await offset.ConfigureAwait(false);
            if (!value.IsNull && (long)value < limit)
            {
                limit = (long)value;
                holder = consumer;
            }
        }
        if (holder is not null && log)
            RedisLog.RetentionWaits(_store.Logger, partition, holder, limit, upTo - limit);
        return limit;
    }

    /// <summary>Closes the subscription and the connections.</summary>
    public async ValueTask DisposeAsync()
    {
        _notifications.Dispose();
        await _store.DisposeAsync().ConfigureAwait(false);
    }
}
