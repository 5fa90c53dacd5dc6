using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// This process as a member of one consumer group: on a loop of its own (so handlers never starve it), every
/// <see cref="ConsumerOptions.LeaseRenewalInterval"/> it sends its heartbeat, renews its leases, and balances: above its
/// <see cref="PartitionQuota"/> it drains and releases partitions (after their worker committed), below it it takes
/// free or expired ones. It runs one <see cref="PartitionWorker"/> per partition it holds and stops a worker at once
/// when its lease was lost or its epoch moved.
/// </summary>
internal sealed class ConsumerGroupMember : IDisposable
{
    private readonly string _consumer;
    private readonly ConsumerOptions _options;
    private readonly IReadOnlySet<string> _types;
    private readonly EventDelivery _delivery;
    private readonly DurableRuntime _runtime;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly Lock _wakeGate = new();
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Dictionary<int, PartitionWorker> _workers = [];
    private readonly List<PartitionWorker> _releasing = [];
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;

    public ConsumerGroupMember(string consumer, ConsumerOptions options, IReadOnlySet<string> types, EventDelivery delivery, DurableRuntime runtime, ILogger logger)
    {
        _consumer = consumer;
        _options = options;
        _types = types;
        _delivery = delivery;
        _runtime = runtime;
        _logger = logger;
        _concurrency = new SemaphoreSlim(options.MaxConcurrentPartitions, options.MaxConcurrentPartitions);
        Member = runtime.Options.InstanceId;
    }

    /// <summary>The consumer (group).</summary>
    public string Consumer => _consumer;

    /// <summary>This member's id.</summary>
    public string Member { get; }

    /// <summary>The workers running now (a snapshot).</summary>
    public IReadOnlyList<PartitionWorker> Workers
    {
        get
        {
            lock (_workers)
                return [.. _workers.Values.OrderBy(w => w.Partition)];
        }
    }

    public void Start() => _loop = Task.Run(RunAsync);

    /// <summary>Stops every worker (each commits what it finished), releases the leases and leaves the group.</summary>
    public async Task StopAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        var stopping = _stopping.Token;
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                var next = _options.LeaseRenewalInterval;
                try
                {
                    if (await BalanceAsync(stopping).ConfigureAwait(false))
                        next = TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 20, _options.LeaseRenewalInterval.Ticks / 5));
                }
                catch (OperationCanceledException) when (stopping.IsCancellationRequested)
                {
                    break;
                }
                catch (Exception exception)
                {
                    // The store is unreachable or failing: keep the workers (their leases stay valid until they expire, and
                    // their commits are fenced), and try again at the next tick.
                    HeraldLog.GroupTickFailed(_logger, exception, _consumer, Member);
                }
                Task woken;
                lock (_wakeGate)
                    woken = _wake.Task;
                await Task.WhenAny(woken, Task.Delay(next, _runtime.Time, stopping)).ConfigureAwait(false);
                if (woken.IsCompleted)
                {
                    lock (_wakeGate)
                        _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }
            }
        }
        finally
        {
            await LeaveAsync().ConfigureAwait(false);
        }
    }

    /// <summary>One tick: heartbeat, renewal, rebalancing. Returns true when this member still wants partitions.</summary>
    private async Task<bool> BalanceAsync(CancellationToken stopping)
    {
        var leases = _runtime.Log.Leases;
        var partitions = _runtime.Log.Stream.Partitions;
        var now = _runtime.Time.GetUtcNow();
        var members = await leases.HeartbeatAsync(_consumer, Member, now, _options.LeaseDuration, stopping).ConfigureAwait(false);
        var held = (await leases.RenewAsync(_consumer, Member, now, _options.LeaseDuration, stopping).ConfigureAwait(false))
            .ToDictionary(l => l.Partition);

        // Workers that ended, lost their lease, or whose epoch an operator moved.
        foreach (var worker in _workers.Values.ToArray())
        {
            if (!held.TryGetValue(worker.Partition, out var token) || token.Epoch != worker.Lease.Epoch)
            {
                // Never two workers on one partition: a new one starts (at the new epoch) once this one has ended.
                worker.Abort();
                RemoveWorker(worker);
                _releasing.Add(worker);
                LeaseChanged("lost", worker.Partition);
                HeraldLog.LeaseLost(_logger, _consumer, worker.Partition, Member, worker.Lease.Epoch);
                continue;
            }
            if (worker.Running.IsCompleted)
            {
                RemoveWorker(worker);
                worker.Dispose();
                if (worker.LostLease)
                {
                    LeaseChanged("lost", worker.Partition);
                    held.Remove(worker.Partition);
                }
            }
        }

        // Drained workers that finished: their progress is committed, so the partition can go. (Aborted ones only end.)
        foreach (var worker in _releasing.ToArray())
        {
            if (!worker.Running.IsCompleted)
                continue;
            _releasing.Remove(worker);
            worker.Dispose();
            if (worker.LostLease || !held.TryGetValue(worker.Partition, out var token) || token.Epoch != worker.Lease.Epoch)
                continue;
            held.Remove(worker.Partition);
            if (await leases.ReleaseAsync(worker.Lease, stopping).ConfigureAwait(false))
            {
                LeaseChanged("released", worker.Partition);
                HeraldLog.LeaseReleased(_logger, _consumer, worker.Partition, Member);
            }
        }

        var quota = PartitionQuota.Of(Member, members, partitions);

        // Leases held without a worker (one ended, or the epoch moved): run them again while within the quota.
        foreach (var token in held.Values.OrderBy(t => t.Partition))
        {
            if (_workers.ContainsKey(token.Partition) || _releasing.Exists(w => w.Partition == token.Partition))
                continue;
            if (_workers.Count < quota)
                StartWorker(token);
            else if (await leases.ReleaseAsync(token, stopping).ConfigureAwait(false))
                LeaseChanged("released", token.Partition);
        }

        // Above the quota: hand the highest partitions over cooperatively.
        while (_workers.Count > quota)
        {
            var worker = _workers.Values.MaxBy(w => w.Partition)!;
            RemoveWorker(worker);
            worker.Drain();
            _releasing.Add(worker);
        }
        if (_workers.Count >= quota)
            return false;

        // Below it: take free partitions, lowest first.
        var current = (await leases.GetLeasesAsync(_consumer, stopping).ConfigureAwait(false)).ToDictionary(l => l.Partition);
        for (var partition = 0; partition < partitions && _workers.Count < quota; partition++)
        {
            if (_workers.ContainsKey(partition) || _releasing.Exists(w => w.Partition == partition))
                continue;
            if (current.TryGetValue(partition, out var lease) && lease.IsHeldAt(now) && lease.Owner != Member)
                continue;
            var token = await leases.TryAcquireAsync(_consumer, partition, Member, now, _options.LeaseDuration, stopping).ConfigureAwait(false);
            if (token is null)
                continue;
            LeaseChanged("acquired", partition);
            HeraldLog.LeaseAcquired(_logger, _consumer, partition, Member, token.Epoch);
            StartWorker(token);
        }
        return _workers.Count < quota;
    }

    private void StartWorker(LeaseToken token)
    {
        var worker = new PartitionWorker(_consumer, token, _options, _types, _delivery, _runtime, _concurrency, _logger);
        lock (_workers)
            _workers[token.Partition] = worker;
        worker.Start();
        // A worker that ends (lease lost, drained) wakes the loop, so its partition is released or retaken at once.
        _ = worker.Running.ContinueWith(static (_, member) => ((ConsumerGroupMember)member!).Wake(), this, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Wake()
    {
        lock (_wakeGate)
            _wake.TrySetResult();
    }

    /// <summary>Frees the member's resources once <see cref="StopAsync"/> completed.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        _concurrency.Dispose();
    }

    private void RemoveWorker(PartitionWorker worker)
    {
        lock (_workers)
            _workers.Remove(worker.Partition);
    }

    /// <summary>Stops the workers, waits for their commits, releases what is still held and leaves the group.</summary>
    private async Task LeaveAsync()
    {
        PartitionWorker[] workers;
        lock (_workers)
            workers = [.. _workers.Values, .. _releasing];
        foreach (var worker in workers)
            worker.Stop();
        await Task.WhenAll(workers.Select(w => w.Running)).ConfigureAwait(false);
        foreach (var worker in workers)
            worker.Dispose();
        using var timeout = new CancellationTokenSource(_runtime.Options.ShutdownTimeout);
        try
        {
            foreach (var worker in workers.Where(w => !w.LostLease))
            {
                if (await _runtime.Log.Leases.ReleaseAsync(worker.Lease, timeout.Token).ConfigureAwait(false))
                    LeaseChanged("released", worker.Partition);
            }
            await _runtime.Log.Leases.LeaveAsync(_consumer, Member, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception)
        {
            // The leases then expire after LeaseDuration and the other members take the partitions.
            HeraldLog.LeaveFailed(_logger, exception, _consumer, Member);
        }
        lock (_workers)
        {
            _workers.Clear();
            _releasing.Clear();
        }
    }

    private void LeaseChanged(string change, int partition)
        => HeraldTelemetry.LeaseChanges.Add(1, new("consumer", _consumer), new("partition", partition), new("change", change));
}
