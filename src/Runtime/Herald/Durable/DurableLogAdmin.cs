namespace Herald.Durable;

/// <summary>
/// Operations on the durable log for tools and operators: per (consumer, partition) offsets, lag and owners; replay by
/// position or time; dead letters by id and by page (list, replay, purge). Resolve it from the service provider after
/// <c>AddHerald</c>, or create one over a log (tools that have none of the app's event types, such as <c>herald</c>).
/// </summary>
public sealed class DurableLogAdmin
{
    private readonly DurableRuntime? _runtime;
    private readonly TimeProvider _time;

    /// <summary>Administers <paramref name="log"/> directly (replays are appended straight to it).</summary>
    /// <param name="log">The log.</param>
    /// <param name="time">Where "now" comes from (lease expiry); default the system clock.</param>
    public DurableLogAdmin(IEventLog log, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(log);
        Log = log;
        _time = time ?? TimeProvider.System;
    }

    internal DurableLogAdmin(DurableRuntime runtime)
    {
        _runtime = runtime;
        Log = runtime.Log;
        _time = runtime.Time;
    }

    /// <summary>The log.</summary>
    public IEventLog Log { get; }

    /// <summary>The file where events that could not be appended were written; null for an admin created over a log.</summary>
    public string? AppendDeadLetterFile => _runtime?.DeadLetters.Path;

    /// <summary>
    /// How many events this process's log writer has queued and not yet committed (or dead-lettered); 0 for an admin
    /// created over a log, which has no writer.
    /// </summary>
    public int QueuedEvents => _runtime?.Writer.QueueDepth ?? 0;

    /// <summary>
    /// How many events <paramref name="consumer"/> has not passed yet, over every partition (0 when it is caught up):
    /// the events after its committed offsets (from the first retained event where it never committed).
    /// </summary>
    public async ValueTask<long> GetLagAsync(string consumer, CancellationToken cancellationToken = default)
        => (await GetPartitionsAsync(consumer, cancellationToken).ConfigureAwait(false)).Sum(p => p.Lag);

    /// <summary>Per partition of <paramref name="consumer"/>: committed offset, bounds, lag, owner and lease.</summary>
    public async ValueTask<IReadOnlyList<ConsumerPartitionStatus>> GetPartitionsAsync(string consumer, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        var bounds = await Log.Stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        var offsets = (await Log.Checkpoints.GetOffsetsAsync(consumer, cancellationToken).ConfigureAwait(false)).ToDictionary(o => o.Partition);
        var leases = (await Log.Leases.GetLeasesAsync(consumer, cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.Partition);
        var now = _time.GetUtcNow();
        var result = new ConsumerPartitionStatus[bounds.Count];
        foreach (var partition in bounds)
        {
            var offset = offsets.TryGetValue(partition.Partition, out var committed) ? committed.Position : (long?)null;
            var from = offset ?? partition.First - 1;
            leases.TryGetValue(partition.Partition, out var lease);
            result[partition.Partition] = new ConsumerPartitionStatus(
                consumer,
                partition.Partition,
                offset,
                partition,
                Math.Max(0, partition.Last - from),
                lease is not null && lease.IsHeldAt(now) ? lease.Owner : null,
                lease is not null && lease.IsHeldAt(now) ? lease.ExpiresAt : null,
                lease?.Epoch ?? 0,
                offset is { } position && position < partition.First - 1);
        }
        return result;
    }

    /// <summary>
    /// Moves <paramref name="consumer"/> in <paramref name="partition"/> so that its next event is the one after
    /// <paramref name="position"/>. A member handling the partition is fenced: it stops and resumes from there.
    /// </summary>
    public async ValueTask MoveOffsetAsync(string consumer, int partition, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        await CheckPartitionAsync(partition).ConfigureAwait(false);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        await Log.Checkpoints.SetOffsetAsync(consumer, partition, position, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Moves <paramref name="consumer"/> to the oldest retained event, in one partition or (null) in all.</summary>
    /// <returns>The offsets set.</returns>
    public ValueTask<IReadOnlyList<LogPosition>> MoveToEarliestAsync(string consumer, int? partition = null, CancellationToken cancellationToken = default)
        => MoveAsync(consumer, partition, static (bounds, _, _) => ValueTask.FromResult(bounds.First - 1), cancellationToken);

    /// <summary>Moves <paramref name="consumer"/> past the newest event, in one partition or (null) in all.</summary>
    /// <returns>The offsets set.</returns>
    public ValueTask<IReadOnlyList<LogPosition>> MoveToLatestAsync(string consumer, int? partition = null, CancellationToken cancellationToken = default)
        => MoveAsync(consumer, partition, static (bounds, _, _) => ValueTask.FromResult(bounds.Last), cancellationToken);

    /// <summary>
    /// Moves <paramref name="consumer"/> so that it replays every event that occurred at or after <paramref name="time"/>,
    /// in every partition (or only <paramref name="partition"/>).
    /// </summary>
    /// <returns>The offsets set.</returns>
    public ValueTask<IReadOnlyList<LogPosition>> MoveOffsetToTimeAsync(string consumer, DateTimeOffset time, int? partition = null, CancellationToken cancellationToken = default)
        => MoveAsync(consumer, partition, (bounds, log, ct) => log.Stream.FindPositionAsync(bounds.Partition, time, ct), cancellationToken);

    /// <summary>One page of dead letters, oldest first (all of them up to 100 when <paramref name="query"/> is null).</summary>
    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(DeadLetterQuery? query = null, CancellationToken cancellationToken = default)
        => Log.DeadLetters.ListAsync(query ?? new DeadLetterQuery(), cancellationToken);

    /// <summary>The dead letter with <paramref name="id"/>; null when there is none.</summary>
    public ValueTask<DeadLetter?> GetDeadLetterAsync(long id, CancellationToken cancellationToken = default)
        => Log.DeadLetters.GetAsync(id, cancellationToken);

    /// <summary>
    /// Appends a dead-lettered event again (same id; same partition, since the key is the same; a new position) and
    /// removes the letter: every consumer that has not handled it receives it (consumers that did have its id in
    /// their inbox and pass it).
    /// </summary>
    /// <returns>False when there is no dead letter with that id.</returns>
    public async ValueTask<bool> ReplayDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        var letter = await Log.DeadLetters.GetAsync(id, cancellationToken).ConfigureAwait(false);
        if (letter is null)
            return false;
        await ReplayAsync(letter, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Replays every dead letter matching <paramref name="filter"/> (its page bounds are ignored), oldest first, a page
    /// at a time; reports the count replayed so far to <paramref name="progress"/>.
    /// </summary>
    /// <returns>How many were replayed.</returns>
    public async ValueTask<long> ReplayDeadLettersAsync(DeadLetterQuery? filter = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var query = (filter ?? new DeadLetterQuery()) with { AfterId = 0, MaxCount = 500 };
        var replayed = 0L;
        while (true)
        {
            var page = await Log.DeadLetters.ListAsync(query, cancellationToken).ConfigureAwait(false);
            if (page.Count == 0)
                return replayed;
            foreach (var letter in page)
            {
                await ReplayAsync(letter, cancellationToken).ConfigureAwait(false);
                // Counted apart from the report: progress?.Report(++replayed) skips the increment without a progress.
                replayed++;
                progress?.Report(replayed);
            }
            query = query with { AfterId = page[^1].Id };
        }
    }

    /// <summary>Removes the dead letters matching <paramref name="filter"/> (all when null); returns how many.</summary>
    public ValueTask<long> PurgeDeadLettersAsync(DeadLetterQuery? filter = null, CancellationToken cancellationToken = default)
        => Log.DeadLetters.PurgeAsync(filter ?? new DeadLetterQuery(), cancellationToken);

    private async ValueTask ReplayAsync(DeadLetter letter, CancellationToken cancellationToken)
    {
        var envelope = letter.Envelope.Unpositioned();
        if (_runtime is not null)
            await _runtime.Writer.AppendAsync(envelope, Durability.Persisted, cancellationToken).ConfigureAwait(false);
        else
            await Log.Stream.AppendAsync([envelope], cancellationToken).ConfigureAwait(false);
        await Log.DeadLetters.DeleteAsync(letter.Id, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<IReadOnlyList<LogPosition>> MoveAsync(
        string consumer, int? partition, Func<PartitionBounds, IEventLog, CancellationToken, ValueTask<long>> target, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        if (partition is { } only)
            await CheckPartitionAsync(only).ConfigureAwait(false);
        var bounds = await Log.Stream.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        var moved = new List<LogPosition>();
        foreach (var partitionBounds in bounds)
        {
            if (partition is not null && partitionBounds.Partition != partition)
                continue;
            var position = Math.Max(0, await target(partitionBounds, Log, cancellationToken).ConfigureAwait(false));
            await Log.Checkpoints.SetOffsetAsync(consumer, partitionBounds.Partition, position, cancellationToken).ConfigureAwait(false);
            moved.Add(new LogPosition(partitionBounds.Partition, position));
        }
        return moved;
    }

    private ValueTask CheckPartitionAsync(int partition)
    {
        if (partition < 0 || partition >= Log.Stream.Partitions)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The log has partitions 0 to {Log.Stream.Partitions - 1}.");
        return ValueTask.CompletedTask;
    }
}

/// <summary>One partition of one consumer, as an operator sees it.</summary>
/// <param name="Consumer">The consumer.</param>
/// <param name="Partition">The partition.</param>
/// <param name="Offset">The committed offset; null when the consumer never committed in this partition.</param>
/// <param name="Bounds">The partition's retained range.</param>
/// <param name="Lag">Events after the offset (after the first retained one when there is no offset).</param>
/// <param name="Owner">The member that holds the partition's lease now; null when nobody does.</param>
/// <param name="LeaseExpiresAt">When the owner's lease ends unless renewed; null when nobody holds it.</param>
/// <param name="Epoch">The lease's epoch (0 when it was never taken).</param>
/// <param name="BehindRetention">The offset is before the oldest retained event: the consumer is stopped in this partition until it is moved.</param>
public sealed record ConsumerPartitionStatus(
    string Consumer,
    int Partition,
    long? Offset,
    PartitionBounds Bounds,
    long Lag,
    string? Owner,
    DateTimeOffset? LeaseExpiresAt,
    long Epoch,
    bool BehindRetention);
