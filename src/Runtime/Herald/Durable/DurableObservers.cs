using Microsoft.Extensions.Logging;

namespace Herald.Durable;

/// <summary>
/// The <see cref="DurableObserver"/>s of one runtime, called so that none can disturb the work it observes: each call is
/// isolated, and what it throws is logged. Without observers every call is one length check.
/// </summary>
internal sealed class DurableObservers(DurableObserver[] observers, ILogger logger)
{
    public bool Any => observers.Length > 0;

    public void Published(EventEnvelope envelope, bool enlisted)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnPublished(envelope, enlisted);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnPublished), exception);
            }
        }
    }

    public void Appended(IReadOnlyList<EventEnvelope> envelopes)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnAppended(envelopes);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnAppended), exception);
            }
        }
    }

    public void AppendDeadLettered(IReadOnlyList<EventEnvelope> envelopes, string reason, Exception failure, string deadLetterFile)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnAppendDeadLettered(envelopes, reason, failure, deadLetterFile);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnAppendDeadLettered), exception);
            }
        }
    }

    public void Handled(string consumer, EventEnvelope envelope, object @event, int attempt)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnHandled(consumer, envelope, @event, attempt);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnHandled), exception);
            }
        }
    }

    public void HandlerFailed(string consumer, EventEnvelope envelope, object @event, int attempt, Exception failure, bool willRetry)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnFailed(consumer, envelope, @event, attempt, failure, willRetry);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnFailed), exception);
            }
        }
    }

    public void DeadLettered(string consumer, EventEnvelope envelope, string reason, Exception? failure, int attempts)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnDeadLettered(consumer, envelope, reason, failure, attempts);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnDeadLettered), exception);
            }
        }
    }

    public void Committed(string consumer, int partition, long offset)
    {
        foreach (var observer in observers)
        {
            try
            {
                observer.OnCommitted(consumer, partition, offset);
            }
            catch (Exception exception)
            {
                Failed(observer, nameof(DurableObserver.OnCommitted), exception);
            }
        }
    }

    private void Failed(DurableObserver observer, string method, Exception exception)
        => HeraldLog.ObserverFailed(logger, exception, observer.GetType().FullName ?? observer.GetType().Name, method);
}
