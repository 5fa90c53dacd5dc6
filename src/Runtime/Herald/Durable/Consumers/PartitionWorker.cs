using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// Handles one partition of one consumer while this member holds its lease: reads the consumer's own events in
/// position order, a batch at a time, delivers them, and commits the batch's progress under the lease. It stops in
/// three ways: <see cref="Drain"/> (a rebalance: the envelope in progress finishes, what is done is committed, then
/// it ends and its lease can be released), <see cref="Stop"/> (shutdown: the handler in progress is canceled, what
/// was done before it is committed), and <see cref="Abort"/> (the lease was lost: nothing more is committed; the new
/// owner gets the rest).
/// </summary>
internal sealed class PartitionWorker : IDisposable
{
    private readonly string _consumer;
    private readonly ConsumerOptions _options;
    private readonly IReadOnlySet<string> _types;
    private readonly EventDelivery _delivery;
    private readonly DurableRuntime _runtime;
    private readonly SemaphoreSlim _concurrency;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenSource _draining = new();
    private long _offset = -1;
    private HandlingBatch? _open;
    private long _openedAt;
    private long _last;
    private int _behindRetention;

    public PartitionWorker(
        string consumer, LeaseToken lease, ConsumerOptions options, IReadOnlySet<string> types, EventDelivery delivery,
        DurableRuntime runtime, SemaphoreSlim concurrency, ILogger logger)
    {
        _consumer = consumer;
        Lease = lease;
        _options = options;
        _types = types;
        _delivery = delivery;
        _runtime = runtime;
        _concurrency = concurrency;
        _logger = logger;
    }

    /// <summary>The lease the worker handles the partition under.</summary>
    public LeaseToken Lease { get; }

    /// <summary>The partition.</summary>
    public int Partition => Lease.Partition;

    /// <summary>Set while the worker runs; completes when it ended (never faults).</summary>
    public Task Running { get; private set; } = Task.CompletedTask;

    /// <summary>True once the worker ended because the lease was lost (a commit was refused).</summary>
    public bool LostLease { get; private set; }

    /// <summary>The committed offset as last known; -1 before the worker read it.</summary>
    public long Offset => Volatile.Read(ref _offset);

    /// <summary>Events after the committed offset, as of the last read (events of other types included).</summary>
    public long Lag => Math.Max(0, Volatile.Read(ref _last) - Math.Max(0, Offset));

    /// <summary>Whether the committed offset is behind the partition's retention.</summary>
    public bool BehindRetention => Volatile.Read(ref _behindRetention) != 0;

    public void Start() => Running = Task.Run(RunAsync);

    /// <summary>Finishes the envelope in progress, commits, and ends (the lease is then released by the caller).</summary>
    public void Drain() => _draining.Cancel();

    /// <summary>Cancels the handler in progress, commits what was done before it, and ends.</summary>
    public void Stop()
    {
        _draining.Cancel();
        _stopping.Cancel();
    }

    /// <summary>The lease is gone: end without committing anything more.</summary>
    public void Abort()
    {
        LostLease = true;
        Stop();
    }

    private async Task RunAsync()
    {
        using var waiter = _runtime.Signal.Register(Partition, _types);
        var stopping = _stopping.Token;
        var draining = _draining.Token;
        try
        {
            while (!draining.IsCancellationRequested)
            {
                try
                {
                    if (Offset < 0)
                        await StartAsync(stopping).ConfigureAwait(false);
                    await ReadAndHandleAsync(waiter, stopping, draining).ConfigureAwait(false);
                }
                catch (LeaseLostException exception)
                {
                    LostLease = true;
                    HeraldLog.LeaseLostOnCommit(_logger, exception, _consumer, Partition, Lease.Epoch);
                    return;
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested || draining.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception exception)
                {
                    // The log itself failed (locked, unreachable, ...): nothing was skipped; what was handled stays pending in
                    // the open batch, and the next read continues after it.
                    HeraldLog.ReadFailed(_logger, exception, _consumer, Partition);
                    try
                    {
                        await Task.Delay(_options.PollInterval, _runtime.Time, draining).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }
                }
            }
        }
        finally
        {
            await CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The read loop: read the next page after what is handled, deliver it, commit when it is time.</summary>
    private async Task ReadAndHandleAsync(LogSignal.Waiter waiter, CancellationToken stopping, CancellationToken draining)
    {
        while (!draining.IsCancellationRequested)
        {
            var version = waiter.Version;
            var from = _open?.PendingOffset ?? Offset;
            // What is handled and not committed never exceeds one batch: that is what a crash can deliver again.
            var room = Math.Max(1, _options.BatchSize - (_open?.PendingCount ?? 0));
            // One step per wake-up: the page, the consumer's inbox marks for it, and the lease check (on PostgreSQL one
            // statement, on Redis one script: one round trip, and on Redis one wait for the server's fsync).
            var read = await _runtime.Log.ReadForConsumerAsync(Lease, from, room, _types, stopping).ConfigureAwait(false);
            if (read.LeaseLost)
                throw new LeaseLostException(Lease); // taken by another member, or its offset moved: nothing of the page is handled
            var page = read.Page;
            Volatile.Write(ref _last, page.Bounds.Last);
            if (from < page.Bounds.First - 1)
            {
                // Never skip silently: report, count, and wait for an operator to move the offset (which fences this
                // worker: it is then restarted at the new offset).
                await CommitOpenAsync(stopping).ConfigureAwait(false);
                Volatile.Write(ref _behindRetention, 1);
                HeraldTelemetry.BehindRetention.Add(1, new("consumer", _consumer), new("partition", Partition));
                HeraldLog.BehindRetention(_logger, new ConsumerBehindRetentionException(_consumer, Partition, from, page.Bounds.First), _consumer, Partition);
                await WaitAsync(waiter, version, _options.PollInterval * 10, draining).ConfigureAwait(false);
                continue;
            }
            Volatile.Write(ref _behindRetention, 0);

            if (page.Envelopes.Count == 0)
            {
                if (page.ScannedTo > from)
                    Open(read).Advance(page.ScannedTo); // passed other types' events
                await WaitCaughtUpAsync(waiter, version, stopping, draining).ConfigureAwait(false);
                continue;
            }

            await HandleAsync(read, stopping, draining).ConfigureAwait(false);
            if (_open is { } open
                && (open.PendingCount >= _options.BatchSize || _runtime.Time.GetElapsedTime(_openedAt) >= _options.CommitInterval))
                await CommitOpenAsync(stopping).ConfigureAwait(false);

            // The page reached the partition's end as it was when read, and nothing was appended since the read began:
            // the next read would come back empty, so wait for the next append instead of asking. At 10,000 events/s
            // over 8 partitions that empty read was one query in three a worker made (latency run: benchmarks/README.md).
            if (page.ScannedTo >= page.Bounds.Last && waiter.Version == version)
                await WaitCaughtUpAsync(waiter, version, stopping, draining).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for the next append after <paramref name="version"/> (or the poll interval); with progress pending, commits
    /// it once the commit interval is over, unless more events come first.
    /// </summary>
    private async Task WaitCaughtUpAsync(LogSignal.Waiter waiter, int version, CancellationToken stopping, CancellationToken draining)
    {
        if (_open is { HasPending: true })
        {
            var due = _options.CommitInterval - _runtime.Time.GetElapsedTime(_openedAt);
            if (due > TimeSpan.Zero)
            {
                await WaitAsync(waiter, version, due, draining).ConfigureAwait(false);
                return;
            }
            await CommitOpenAsync(stopping).ConfigureAwait(false);
        }
        await WaitAsync(waiter, version, _options.PollInterval, draining).ConfigureAwait(false);
    }

    /// <summary>Reads the committed offset, or sets the starting one for a consumer new to this partition.</summary>
    private async Task StartAsync(CancellationToken stopping)
    {
        var offsets = await _runtime.Log.Checkpoints.GetOffsetsAsync(_consumer, stopping).ConfigureAwait(false);
        var committed = offsets.FirstOrDefault(o => o.Partition == Partition);
        if (committed is not null)
        {
            Volatile.Write(ref _offset, committed.Position);
            return;
        }
        var bounds = (await _runtime.Log.Stream.GetBoundsAsync(stopping).ConfigureAwait(false))[Partition];
        var start = _options.StartPosition == StartPosition.Latest ? bounds.Last : bounds.First - 1;
        await _runtime.Checkpoints.CommitAsync(new ProgressCommit(Lease, start, []), stopping).ConfigureAwait(false);
        Volatile.Write(ref _offset, start);
    }

    /// <summary>
    /// Delivers the page's envelopes in order (its read confirmed the lease: a worker paused past its lease, or whose
    /// offset an operator moved, stops before it handles another page instead of learning it only from a refused commit).
    /// </summary>
    private async Task HandleAsync(ConsumerPage read, CancellationToken stopping, CancellationToken draining)
    {
        await _concurrency.WaitAsync(stopping).ConfigureAwait(false);
        try
        {
            var batch = Open(read);
            foreach (var envelope in read.Page.Envelopes)
            {
                if (draining.IsCancellationRequested || !await _delivery.DeliverAsync(batch, envelope, stopping, draining).ConfigureAwait(false))
                    return; // handing over: what is done is committed when the worker closes
            }
            batch.Advance(read.Page.ScannedTo);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    /// <summary>The batch that collects this worker's progress until the next commit, with <paramref name="read"/>'s page in it.</summary>
    private HandlingBatch Open(ConsumerPage read)
    {
        if (_open is { } open)
        {
            open.Include(read);
            return open;
        }
        _open = HandlingBatch.Begin(_runtime.Checkpoints, Offset, read);
        _openedAt = _runtime.Time.GetTimestamp();
        return _open;
    }

    /// <summary>Commits the open batch (its marks and offset, fenced) and starts afresh.</summary>
    private async Task CommitOpenAsync(CancellationToken stopping)
    {
        if (_open is not { } open)
            return;
        await open.CommitAsync(stopping).ConfigureAwait(false);
        Volatile.Write(ref _offset, open.PendingOffset);
        _open = null;
        await open.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>
    /// On the way out: commits what was handled (a stop, a drain) unless the lease is lost, when nothing more may be
    /// written and the new owner gets it.
    /// </summary>
    private async Task CloseAsync()
    {
        if (_open is not { } open)
            return;
        try
        {
            if (!LostLease)
                await CommitOpenAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (LeaseLostException exception)
        {
            LostLease = true;
            HeraldLog.LeaseLostOnCommit(_logger, exception, _consumer, Partition, Lease.Epoch);
        }
        catch (Exception exception)
        {
            // The log is unreachable: the progress is not committed, and the events are delivered again (at least once).
            HeraldLog.ReadFailed(_logger, exception, _consumer, Partition);
        }
        finally
        {
            _open = null;
            await open.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Frees the worker's resources once <see cref="Running"/> completed.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        _draining.Dispose();
    }

    private Task WaitAsync(LogSignal.Waiter waiter, int version, TimeSpan timeout, CancellationToken draining)
        => waiter.WaitAsync(version, timeout, _runtime.Time, draining);
}
