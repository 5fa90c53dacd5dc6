using System.Diagnostics;
using System.Diagnostics.Metrics;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// Runs every durable consumer of the app (each <c>[Subscribe(Consumer = "...")]</c> name) from its committed offset:
/// at least once, in log order (so in order per partition key), retrying a failing handler with exponential backoff
/// and jitter up to <see cref="ConsumerOptions.MaxAttempts"/>, then dead-lettering the event and moving on. Registered
/// as a hosted service by <c>AddHerald</c>; without a host, call <see cref="StartAsync"/> and <see cref="StopAsync"/>.
/// </summary>
public sealed class DurableConsumers : IHostedService, IAsyncDisposable
{
    private readonly IServiceProvider _services;
    private DurableRuntime? _runtimeInstance;
    private ILogger? _loggerInstance;
    private readonly Dictionary<string, long> _lag = new(StringComparer.Ordinal);
    private CancellationTokenSource? _stopping;
    private Task[] _running = [];
    private Task? _retention;

    internal DurableConsumers(IServiceProvider services) => _services = services;

    // Resolved when a consumer starts: an app without durable consumers never opens the log for them.
    private DurableRuntime _runtime => _runtimeInstance ??= _services.GetRequiredService<DurableRuntime>();

    private ILogger _logger => _loggerInstance ??= _runtime.LoggerFactory.CreateLogger("Herald.Consumers");

    /// <summary>The names of the consumers this app runs.</summary>
    public static IReadOnlyCollection<string> Names => [.. HeraldRegistry.DurableHandlersByConsumer.Keys];

    /// <summary>Starts one loop per consumer, and retention when a policy is set.</summary>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_stopping is not null || Names.Count == 0)
            return Task.CompletedTask;
        _stopping = new CancellationTokenSource();
        var runtime = _runtime;
        HeraldTelemetry.Meter.CreateObservableGauge("herald.consumer.lag", ObserveLag, "{event}", "Events appended and not yet handled, per consumer.");
        HeraldTelemetry.Meter.CreateObservableGauge("herald.queue.depth", () => (long)runtime.Writer.QueueDepth, "{event}", "Events queued for the log writer.");
        var stopping = _stopping.Token;
        _running = HeraldRegistry.DurableHandlersByConsumer
            .Select(consumer => Task.Run(() => RunAsync(consumer.Key, consumer.Value, stopping), CancellationToken.None))
            .ToArray();
        if (!_runtime.Options.Retention.KeepsEverything)
            _retention = Task.Run(() => RetainAsync(stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    /// <summary>Stops the consumers (the event in progress is finished or rolled back), then flushes the log writer.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_stopping is null)
            return;
        await _stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(_running.Append(_retention ?? Task.CompletedTask)).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The loops end by cancellation.
        }
        await _runtime.Writer.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        _stopping = null;
    }

    /// <summary>The last measured lag of <paramref name="consumer"/> (events appended and not yet handled).</summary>
    public long LagOf(string consumer)
    {
        lock (_lag)
            return _lag.TryGetValue(consumer, out var lag) ? lag : 0;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None).ConfigureAwait(false);

    private IEnumerable<Measurement<long>> ObserveLag()
    {
        lock (_lag)
            return _lag.Select(entry => new Measurement<long>(entry.Value, new KeyValuePair<string, object?>("consumer", entry.Key))).ToArray();
    }

    private async Task RunAsync(string consumer, IReadOnlyDictionary<string, DurableHandler[]> handlers, CancellationToken stopping)
    {
        var options = _runtime.Options.OptionsFor(consumer);
        var log = _runtime.Log;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var offset = await log.GetOffsetAsync(consumer, stopping).ConfigureAwait(false)
                    ?? await StartingOffsetAsync(consumer, options, stopping).ConfigureAwait(false);
                while (!stopping.IsCancellationRequested)
                {
                    var bounds = await log.GetBoundsAsync(stopping).ConfigureAwait(false);
                    SetLag(consumer, Math.Max(0, bounds.Last - offset));
                    if (offset < bounds.First - 1)
                    {
                        // Never skip silently: report, count, and wait for an operator to move the offset.
                        HeraldTelemetry.BehindRetention.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
                        HeraldLog.BehindRetention(_logger, new ConsumerBehindRetentionException(consumer, offset, bounds.First), consumer);
                        await Task.Delay(options.PollInterval * 10, stopping).ConfigureAwait(false);
                        offset = await log.GetOffsetAsync(consumer, stopping).ConfigureAwait(false) ?? offset;
                        continue;
                    }

                    var batch = await log.ReadAsync(offset, options.BatchSize, stopping).ConfigureAwait(false);
                    if (batch.Count == 0)
                    {
                        await _runtime.Signal.WaitAsync(options.PollInterval, stopping).ConfigureAwait(false);
                        offset = await log.GetOffsetAsync(consumer, stopping).ConfigureAwait(false) ?? offset;
                        continue;
                    }
                    offset = await HandleBatchAsync(consumer, options, handlers, batch, offset, stopping).ConfigureAwait(false);
                    SetLag(consumer, Math.Max(0, bounds.Last - offset));
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The log itself failed (locked, unreachable, ...): nothing was skipped; read again from the offset.
                HeraldLog.ReadFailed(_logger, exception, consumer);
                try
                {
                    await Task.Delay(options.PollInterval, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private async Task<long> StartingOffsetAsync(string consumer, ConsumerOptions options, CancellationToken stopping)
    {
        var bounds = await _runtime.Log.GetBoundsAsync(stopping).ConfigureAwait(false);
        var start = options.StartPosition == StartPosition.Latest ? bounds.Last : bounds.First - 1;
        await _runtime.Log.SetOffsetAsync(consumer, start, stopping).ConfigureAwait(false);
        return start;
    }

    /// <summary>
    /// Delivers one read batch as one unit of work: the inbox marks and the offset of the envelopes handled (or not this
    /// consumer's) are committed together at the end, or earlier when a handler used the log's transaction, before an
    /// event is retried, before a dead letter, and when the consumer stops. Returns the offset reached.
    /// </summary>
    private async Task<long> HandleBatchAsync(
        string consumer,
        ConsumerOptions options,
        IReadOnlyDictionary<string, DurableHandler[]> handlers,
        IReadOnlyList<EventEnvelope> batch,
        long offset,
        CancellationToken stopping)
    {
        await using var handling = await _runtime.Log.BeginHandlingAsync(consumer, batch, stopping).ConfigureAwait(false);
        try
        {
            foreach (var envelope in batch)
            {
                if (stopping.IsCancellationRequested)
                    break;
                await DeliverAsync(consumer, options, handlers, handling, envelope, stopping).ConfigureAwait(false);
                offset = envelope.Position;
            }
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: keep what was handled before the event in progress, which is delivered again.
            await handling.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }
        await handling.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return offset;
    }

    /// <summary>Delivers one envelope of <paramref name="handling"/>'s batch.</summary>
    private async Task DeliverAsync(
        string consumer,
        ConsumerOptions options,
        IReadOnlyDictionary<string, DurableHandler[]> handlers,
        IHandlingBatch handling,
        EventEnvelope envelope,
        CancellationToken stopping)
    {
        if (envelope.Type == EventEnvelope.CorruptType)
        {
            var problem = envelope.Headers.TryGetValue(EventEnvelope.CorruptReasonHeader, out var reason) ? reason : "unreadable stored data";
            await DeadLetterAsync(handling, consumer, envelope, $"corrupt row at position {envelope.Position}: {problem}", null, 0, stopping).ConfigureAwait(false);
            return;
        }
        if (!handlers.TryGetValue(envelope.Type, out var eventHandlers))
        {
            if (!HeraldRegistry.DurableTypesByName.ContainsKey(envelope.Type))
            {
                await DeadLetterAsync(handling, consumer, envelope, $"unknown event type '{envelope.Type}': no type with this [Event] name is known to this process", null, 0, stopping).ConfigureAwait(false);
                return;
            }
            handling.Skip(envelope); // another consumer's event: the offset moves past it with the batch
            return;
        }

        var type = HeraldRegistry.DurableTypesByName[envelope.Type];
        if (envelope.Version != type.Version)
        {
            var relation = envelope.Version < type.Version ? "older" : "newer";
            await DeadLetterAsync(handling, consumer, envelope,
                $"payload version {envelope.Version} of '{envelope.Type}' is {relation} than the version this code reads ({type.Version})",
                null, 0, stopping).ConfigureAwait(false);
            return;
        }

        object @event;
        try
        {
            @event = type.Deserialize(envelope.Payload.Span);
        }
        catch (Exception exception) when (exception is System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            await DeadLetterAsync(handling, consumer, envelope, $"the payload of '{envelope.Type}' cannot be read: {exception.Message}", exception, 0, stopping).ConfigureAwait(false);
            return;
        }

        Exception? last = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            stopping.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            using var activity = HeraldTelemetry.ActivitySource.StartActivity("herald deliver", ActivityKind.Consumer);
            activity?.SetTag("herald.consumer", consumer);
            activity?.SetTag("herald.event", envelope.Type);
            activity?.SetTag("herald.position", envelope.Position);
            try
            {
                await using var scope = await handling.BeginAsync(envelope, stopping).ConfigureAwait(false);
                if (!scope.AlreadyHandled)
                {
                    await using var services = _services.CreateAsyncScope();
                    using (DurableContext.Enter(new DurableContext(consumer, envelope, attempt, scope)))
                    {
                        foreach (var handler in eventHandlers)
                            await handler.Invoke(services.ServiceProvider, @event, stopping).ConfigureAwait(false);
                    }
                }
                await scope.CompleteAsync(stopping).ConfigureAwait(false);
                HeraldTelemetry.Handled.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
                HeraldTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("consumer", consumer));
                if (_runtime.Options.LogEvents)
                    HeraldLog.Handled(_logger, consumer, envelope.Type, envelope.Id, envelope.Position);
                return;
            }
            catch (Exception exception) when (!stopping.IsCancellationRequested)
            {
                last = exception;
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                HeraldTelemetry.Failed.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
            }

            // The events before this one are done: commit them before waiting, so a crash during the retries
            // redelivers only this one.
            await handling.CommitAsync(stopping).ConfigureAwait(false);
            if (attempt == options.MaxAttempts)
                break;
            HeraldTelemetry.Retried.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
            var delay = RetryDelay(options, attempt);
            HeraldLog.HandlerRetry(_logger, last, consumer, envelope.Type, envelope.Id, attempt, options.MaxAttempts, delay);
            await Task.Delay(delay, stopping).ConfigureAwait(false);
        }

        await DeadLetterAsync(handling, consumer, envelope, $"the handler failed {options.MaxAttempts} time(s)", last, options.MaxAttempts, stopping).ConfigureAwait(false);
    }

    /// <summary>Exponential backoff with jitter: base * 2^(attempt-1), capped, then scaled by a random 50-100%.</summary>
    internal static TimeSpan RetryDelay(ConsumerOptions options, int attempt)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (Random.Shared.NextDouble() * 0.5)));
    }

    private async Task DeadLetterAsync(IHandlingBatch handling, string consumer, EventEnvelope envelope, string reason, Exception? exception, int attempts, CancellationToken stopping)
    {
        // The letter moves the offset to this envelope: the marks of the envelopes before it must be committed first.
        await handling.CommitAsync(stopping).ConfigureAwait(false);
        var letter = new DeadLetter(0, consumer, envelope, reason, exception?.ToString(), attempts, DateTimeOffset.UtcNow);
        await _runtime.Log.AddDeadLetterAsync(letter, stopping).ConfigureAwait(false);
        HeraldTelemetry.DeadLettered.Add(1, new KeyValuePair<string, object?>("consumer", consumer));
        HeraldLog.DeadLettered(_logger, exception, consumer, envelope.Type, envelope.Id, envelope.Position, reason);
    }

    private async Task RetainAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var removed = await _runtime.Log.ApplyRetentionAsync(_runtime.Options.Retention, stopping).ConfigureAwait(false);
                if (removed > 0)
                    HeraldLog.RetentionApplied(_logger, removed);
                await Task.Delay(_runtime.Options.RetentionInterval, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                HeraldLog.RetentionFailed(_logger, exception);
                try
                {
                    await Task.Delay(_runtime.Options.RetentionInterval, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void SetLag(string consumer, long lag)
    {
        lock (_lag)
            _lag[consumer] = lag;
    }
}
