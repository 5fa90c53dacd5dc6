using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// Runs every durable consumer of the app (each <c>[Subscribe(Consumer = "...")]</c> name) as a member of that
/// consumer's group: every instance of the app that runs consumer <c>c</c> shares its partitions, each partition owned
/// by one member at a time through a lease, handled at least once and in order from its committed offset, failing
/// handlers retried with backoff and then dead-lettered. Registered as a hosted service by <c>AddHerald</c>; without a
/// host, call <see cref="StartAsync"/> and <see cref="StopAsync"/>.
/// </summary>
public sealed class DurableConsumers : IHostedService, IAsyncDisposable, IDisposable
{
    private readonly IServiceProvider _services;
    private readonly Lock _gate = new();
    private DurableRuntime? _runtime;
    private ConsumerGroupMember[] _members = [];
    private CancellationTokenSource? _stopping;
    private Task? _retention;

    internal DurableConsumers(IServiceProvider services) => _services = services;

    /// <summary>The names of the consumers this app runs.</summary>
    public static IReadOnlyCollection<string> Names => [.. HeraldRegistry.DurableHandlersByConsumer.Keys];

    /// <summary>
    /// The event types (wire names) <paramref name="consumer"/> handles in this app, in ordinal order; empty when the app
    /// runs no such consumer. A consumer reads only these from the log.
    /// </summary>
    public static IReadOnlyList<string> EventTypesOf(string consumer)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        return HeraldRegistry.DurableHandlersByConsumer.TryGetValue(consumer, out var handlers)
            ? [.. handlers.Keys.Order(StringComparer.Ordinal)]
            : [];
    }

    /// <summary>This instance's member id in every consumer group (<see cref="HeraldOptions.InstanceId"/>).</summary>
    public string InstanceId => _services.GetRequiredService<HeraldOptions>().InstanceId;

    /// <summary>Whether the consumers are running (between <see cref="StartAsync"/> and <see cref="StopAsync"/>).</summary>
    public bool IsRunning => Volatile.Read(ref _stopping) is not null;

    /// <summary>Joins every consumer's group and starts handling the partitions it is given, and retention when a policy is set.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_stopping is not null || Names.Count == 0)
                return Task.CompletedTask;
            // Resolved now: an app without durable consumers never opens the log for them.
            var runtime = _runtime ??= _services.GetRequiredService<DurableRuntime>();
            var logger = runtime.LoggerFactory.CreateLogger("Herald.Consumers");
            var registrations = _services.GetRequiredService<HandlerRegistrations>();
            _members = [.. HeraldRegistry.DurableHandlersByConsumer.OrderBy(c => c.Key, StringComparer.Ordinal).Select(consumer =>
            {
                var options = runtime.Options.OptionsFor(consumer.Key);
                var types = consumer.Value.Keys.ToHashSet(StringComparer.Ordinal);
                var delivery = new EventDelivery(consumer.Key, options, consumer.Value, _services, registrations, runtime, logger);
                return new ConsumerGroupMember(consumer.Key, options, types, delivery, runtime, logger);
            })];
            _stopping = new CancellationTokenSource();
            foreach (var member in _members)
            {
                HeraldTelemetry.Track(member);
                member.Start();
            }
            if (!runtime.Options.Retention.KeepsEverything)
                _retention = Task.Run(() => RetainAsync(runtime, logger, _stopping.Token), CancellationToken.None);
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Leaves every group: the event in progress in each partition is finished or rolled back, what was handled is
    /// committed, and the leases are released at once for the other members; then waits for the log writer to commit
    /// what was queued.
    /// </summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        CancellationTokenSource? stopping;
        ConsumerGroupMember[] members;
        lock (_gate)
        {
            stopping = _stopping;
            members = _members;
            _stopping = null;
            _members = [];
        }
        if (stopping is null)
            return;
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(members.Select(m => m.StopAsync()).Append(_retention ?? Task.CompletedTask)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            foreach (var member in members)
            {
                HeraldTelemetry.Untrack(member);
                member.Dispose();
            }
            stopping.Dispose();
        }
        await _runtime!.Writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The lag of <paramref name="consumer"/> in the partitions this instance owns, as last measured (events after the
    /// committed offsets); <see cref="DurableLogAdmin.GetLagAsync"/> gives the whole group's.
    /// </summary>
    public long LagOf(string consumer)
        => Member(consumer)?.Workers.Sum(w => w.Lag) ?? 0;

    /// <summary>The partitions of <paramref name="consumer"/> this instance owns now, ascending.</summary>
    public IReadOnlyList<int> PartitionsOf(string consumer)
        => Member(consumer)?.Workers.Select(w => w.Partition).ToArray() ?? [];

    /// <summary>The partitions of <paramref name="consumer"/> this instance handles now, with their lease epoch and progress.</summary>
    public IReadOnlyList<OwnedPartition> OwnedPartitions(string consumer)
        => Member(consumer)?.Workers.Select(w => new OwnedPartition(w.Partition, w.Lease.Epoch, w.Offset, w.Lag, w.BehindRetention)).ToArray() ?? [];

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    /// <summary>Stops the consumers, blocking: for a service provider disposed with <c>Dispose</c>.</summary>
    public void Dispose() => StopAsync(CancellationToken.None).GetAwaiter().GetResult();

    internal ConsumerGroupMember? Member(string consumer)
        => Volatile.Read(ref _members).FirstOrDefault(m => m.Consumer == consumer);

    private static async Task RetainAsync(DurableRuntime runtime, ILogger logger, CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var removed = await runtime.Log.ApplyRetentionAsync(runtime.Options.Retention, runtime.Time.GetUtcNow(), stopping).ConfigureAwait(false);
                if (removed > 0)
                    HeraldLog.RetentionApplied(logger, removed);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                HeraldLog.RetentionFailed(logger, exception);
            }
            try
            {
                await Task.Delay(runtime.Options.RetentionInterval, runtime.Time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}

/// <summary>A partition this instance handles for a consumer.</summary>
/// <param name="Partition">The partition.</param>
/// <param name="Epoch">The epoch of this instance's lease on it.</param>
/// <param name="Offset">The committed offset as last known here; -1 before the worker read it.</param>
/// <param name="Lag">Events after the committed offset at the last read.</param>
/// <param name="BehindRetention">The offset is before the oldest retained event: handling is stopped until it is moved.</param>
public sealed record OwnedPartition(int Partition, long Epoch, long Offset, long Lag, bool BehindRetention);
