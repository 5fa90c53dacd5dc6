using System.Diagnostics;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// Delivers one envelope of a read batch to a consumer's handlers: reads the event, retries a failing handler with
/// exponential backoff and jitter up to <see cref="ConsumerOptions.MaxAttempts"/>, and dead-letters what cannot be
/// read or keeps failing, so bad data never stops the consumer. Progress is committed before a retry waits and
/// with a dead letter, so a crash redelivers only the envelope in progress.
/// </summary>
internal sealed class EventDelivery(
    string consumer,
    ConsumerOptions options,
    IReadOnlyDictionary<string, DurableHandler[]> handlers,
    IServiceProvider services,
    HandlerRegistrations registrations,
    DurableRuntime runtime,
    ILogger logger)
{
    private readonly KeyValuePair<string, object?> _consumerTag = new("consumer", consumer);

    // Which event types need a service scope per delivery: those with an instance handler whose class is not a
    // singleton (the app registered it scoped or transient). A delivery to singletons and static methods resolves from
    // the root provider and allocates no scope (measured: [see benchmarks/README.md, issue 14]).
    private readonly Dictionary<string, bool> _scoped = handlers.ToDictionary(
        entry => entry.Key,
        entry => entry.Value.Any(h => h.HandlerType is { } type && registrations.LifetimeOf(type) != Microsoft.Extensions.DependencyInjection.ServiceLifetime.Singleton),
        StringComparer.Ordinal);

    /// <summary>
    /// Delivers <paramref name="envelope"/>. Returns false when <paramref name="draining"/> was set while it waited to
    /// retry: the envelope was not handled and is left to the partition's next owner.
    /// </summary>
    /// <exception cref="LeaseLostException">The lease was lost; nothing more may be committed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="stopping"/> was set; the envelope in progress was not committed.</exception>
    public async Task<bool> DeliverAsync(HandlingBatch batch, EventEnvelope envelope, CancellationToken stopping, CancellationToken draining)
    {
        if (envelope.Type == EventEnvelope.CorruptType)
        {
            var problem = envelope.Headers.TryGetValue(EventEnvelope.CorruptReasonHeader, out var reason) ? reason : "unreadable stored data";
            await DeadLetterAsync(batch, envelope, $"corrupt stored event at {envelope.LogPosition}: {problem}", null, 0, stopping).ConfigureAwait(false);
            return true;
        }
        if (!handlers.TryGetValue(envelope.Type, out var eventHandlers) || !HeraldRegistry.DurableTypesByName.TryGetValue(envelope.Type, out var type))
        {
            // The read asked for this consumer's types only: a store that returns another is answered with a dead letter,
            // never by choosing a type from what is stored.
            await DeadLetterAsync(batch, envelope, $"event type '{envelope.Type}' is not handled by consumer '{consumer}' in this process", null, 0, stopping).ConfigureAwait(false);
            return true;
        }
        if (envelope.Version != type.Version)
        {
            var relation = envelope.Version < type.Version ? "older" : "newer";
            await DeadLetterAsync(batch, envelope,
                $"payload version {envelope.Version} of '{envelope.Type}' is {relation} than the version this code reads ({type.Version})",
                null, 0, stopping).ConfigureAwait(false);
            return true;
        }

        object @event;
        try
        {
            @event = type.Deserialize(envelope.Payload.Span);
        }
        catch (Exception exception) when (!(exception is OperationCanceledException && stopping.IsCancellationRequested))
        {
            // Whatever the event's own code throws while it is built from the payload (a JSON error, or its constructor
            // refusing a value an older publisher accepted) is a payload failure: retrying cannot change the payload.
            await DeadLetterAsync(batch, envelope, $"the payload of '{envelope.Type}' cannot be read: {exception.Message}", exception, 0, stopping).ConfigureAwait(false);
            return true;
        }

        Exception? last = null;
        for (var attempt = 1; attempt <= options.MaxAttempts; attempt++)
        {
            stopping.ThrowIfCancellationRequested();
            var started = Stopwatch.GetTimestamp();
            using var activity = HeraldTelemetry.ActivitySource.StartActivity("herald deliver", ActivityKind.Consumer);
            activity?.SetTag("herald.consumer", consumer);
            activity?.SetTag("herald.event", envelope.Type);
            activity?.SetTag("herald.partition", envelope.Partition);
            activity?.SetTag("herald.position", envelope.Position);
            try
            {
                bool handledNow;
                await using (var scope = batch.Begin(envelope))
                {
                    handledNow = !scope.AlreadyHandled;
                    if (handledNow)
                        await InvokeAsync(eventHandlers, _scoped[envelope.Type], scope, @event, attempt, stopping).ConfigureAwait(false);
                    await scope.CompleteAsync(stopping).ConfigureAwait(false);
                }
                HeraldTelemetry.Handled.Add(1, _consumerTag);
                HeraldTelemetry.HandlerDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _consumerTag);
                if (runtime.Options.LogEvents)
                    HeraldLog.Handled(logger, consumer, envelope.Type, envelope.Id, envelope.Partition, envelope.Position);
                if (handledNow && runtime.Observers.Any)
                    runtime.Observers.Handled(consumer, envelope, @event, attempt);
                return true;
            }
            catch (Exception exception) when (exception is not LeaseLostException && !stopping.IsCancellationRequested)
            {
                last = exception;
                activity?.SetStatus(ActivityStatusCode.Error, exception.Message);
                HeraldTelemetry.Failed.Add(1, _consumerTag);
                if (runtime.Observers.Any)
                    runtime.Observers.HandlerFailed(consumer, envelope, @event, attempt, exception, willRetry: attempt < options.MaxAttempts);
            }

            // The events before this one are done: commit them before waiting, so a crash during the retries redelivers
            // only this one.
            await batch.CommitAsync(stopping).ConfigureAwait(false);
            if (attempt == options.MaxAttempts)
                break;
            HeraldTelemetry.Retried.Add(1, _consumerTag);
            var delay = RetryDelay(options, attempt, runtime.Options.Jitter);
            HeraldLog.HandlerRetry(logger, last, consumer, envelope.Type, envelope.Id, attempt, options.MaxAttempts, delay);
            using var wait = CancellationTokenSource.CreateLinkedTokenSource(stopping, draining);
            try
            {
                await Task.Delay(delay, runtime.Time, wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (draining.IsCancellationRequested && !stopping.IsCancellationRequested)
            {
                return false; // the partition is handed over: its next owner tries again
            }
        }

        await DeadLetterAsync(batch, envelope, $"the handler failed {options.MaxAttempts} time(s)", last, options.MaxAttempts, stopping).ConfigureAwait(false);
        return true;
    }

    /// <summary>Exponential backoff with jitter: base * 2^(attempt-1), capped, then scaled by a random 50-100%.</summary>
    internal static TimeSpan RetryDelay(ConsumerOptions options, int attempt, Func<double> jitter)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1);
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (jitter() * 0.5)));
    }

    private async Task InvokeAsync(DurableHandler[] eventHandlers, bool scoped, HandlingScope scope, object @event, int attempt, CancellationToken stopping)
    {
        using (DurableContext.Enter(new DurableContext(consumer, runtime.Options.InstanceId, scope.Envelope, attempt, scope)))
        {
            if (!scoped)
            {
                foreach (var handler in eventHandlers)
                    await handler.Invoke(services, @event, stopping).ConfigureAwait(false);
                return;
            }
            await using var serviceScope = services.CreateAsyncScope();
            foreach (var handler in eventHandlers)
                await handler.Invoke(serviceScope.ServiceProvider, @event, stopping).ConfigureAwait(false);
        }
    }

    private async Task DeadLetterAsync(HandlingBatch batch, EventEnvelope envelope, string reason, Exception? exception, int attempts, CancellationToken stopping)
    {
        await batch.DeadLetterAsync(envelope, reason, exception?.ToString(), attempts, runtime.Time.GetUtcNow(), stopping).ConfigureAwait(false);
        HeraldTelemetry.DeadLettered.Add(1, _consumerTag);
        HeraldLog.DeadLettered(logger, exception, consumer, envelope.Type, envelope.Id, envelope.Partition, envelope.Position, reason);
        if (runtime.Observers.Any)
            runtime.Observers.DeadLettered(consumer, envelope, reason, exception, attempts);
    }
}
