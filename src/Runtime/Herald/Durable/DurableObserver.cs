namespace Herald.Durable;

/// <summary>
/// Sees what the durable side of one service provider does: events handed to the log, appended, handled, failed and
/// dead-lettered, and consumers' committed progress. Register an implementation before the provider is built
/// (<c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;DurableObserver, MyObserver&gt;())</c>); Herald reads
/// the registered observers once, when the provider first uses the durable log. Herald.Testing's harness and
/// Herald.HealthChecks are built on it.
/// </summary>
/// <remarks>
/// <para>Each method is called on the thread doing the work (the log writer's loop, a partition worker) after the work
/// is done, so keep it short and never block in it: record, signal, return. An exception it throws is logged and
/// otherwise ignored: an observer never changes what Herald does.</para>
/// <para>Calls for one partition of one consumer come in order; calls for different partitions and from the writer
/// may come concurrently. Every method does nothing by default: override those you need.</para>
/// </remarks>
public abstract class DurableObserver
{
    /// <summary>
    /// A durable event's inline handlers succeeded and its envelope is handed to the log writer (called just before the
    /// writer's queue takes it, so it always comes before <see cref="OnAppended"/> for that envelope), or, inside
    /// <c>bus.Enlist</c>, was written into the app's transaction (<paramref name="enlisted"/>: the writer never sees it,
    /// and it exists if and only if that transaction commits). A dead-letter replay queued by this provider's
    /// <see cref="DurableLogAdmin"/> is reported here too. Called on the publisher's thread and async flow.
    /// </summary>
    /// <param name="envelope">The envelope, before it has a position.</param>
    /// <param name="enlisted">True when it was written in the app's transaction rather than queued for the writer.</param>
    public virtual void OnPublished(EventEnvelope envelope, bool enlisted)
    {
    }

    /// <summary>
    /// The log writer committed a batch. When this is called the writer no longer counts the batch as queued
    /// (<see cref="DurableLogAdmin.QueuedEvents"/>).
    /// </summary>
    /// <param name="envelopes">The envelopes, with the partition and position each was given.</param>
    public virtual void OnAppended(IReadOnlyList<EventEnvelope> envelopes)
    {
    }

    /// <summary>
    /// The log writer could not append a batch (after its retries, or at shutdown) and wrote it to the dead-letter
    /// file. When this is called the writer no longer counts the batch as queued.
    /// </summary>
    /// <param name="envelopes">The envelopes, without positions.</param>
    /// <param name="reason">Why: <c>append failed</c>, or <c>not written before shutdown</c>.</param>
    /// <param name="exception">The last failure.</param>
    /// <param name="deadLetterFile">The file the envelopes were written to.</param>
    public virtual void OnAppendDeadLettered(IReadOnlyList<EventEnvelope> envelopes, string reason, Exception exception, string deadLetterFile)
    {
    }

    /// <summary>
    /// A durable consumer's handlers completed for an envelope (its progress is committed later, with its batch). Not
    /// called for an envelope the consumer's inbox shows as handled before (a redelivery it skips).
    /// </summary>
    /// <param name="consumer">The consumer.</param>
    /// <param name="envelope">The envelope, as stored.</param>
    /// <param name="received">The event the handlers received (read from the payload).</param>
    /// <param name="attempt">1 for the first attempt.</param>
    public virtual void OnHandled(string consumer, EventEnvelope envelope, object received, int attempt)
    {
    }

    /// <summary>An attempt of a durable consumer's handlers failed.</summary>
    /// <param name="consumer">The consumer.</param>
    /// <param name="envelope">The envelope, as stored.</param>
    /// <param name="received">The event the handlers received (read from the payload).</param>
    /// <param name="attempt">1 for the first attempt.</param>
    /// <param name="exception">What the handler threw.</param>
    /// <param name="willRetry">True when another attempt follows; false when the envelope is dead-lettered next.</param>
    public virtual void OnFailed(string consumer, EventEnvelope envelope, object received, int attempt, Exception exception, bool willRetry)
    {
    }

    /// <summary>A durable consumer dead-lettered an envelope (the letter and the consumer's offset were committed together).</summary>
    /// <param name="consumer">The consumer.</param>
    /// <param name="envelope">The envelope, as stored.</param>
    /// <param name="reason">Why: the handler kept failing, the payload could not be read, ...</param>
    /// <param name="exception">The last exception; null when there was none (an unreadable or unknown event).</param>
    /// <param name="attempts">How many times the handlers were tried (0 when the event could not be read).</param>
    public virtual void OnDeadLettered(string consumer, EventEnvelope envelope, string reason, Exception? exception, int attempts)
    {
    }

    /// <summary>A durable consumer committed its progress in a partition (its offset, and the inbox marks of what it handled).</summary>
    /// <param name="consumer">The consumer.</param>
    /// <param name="partition">The partition.</param>
    /// <param name="offset">The committed offset: the position of the last event it finished with.</param>
    public virtual void OnCommitted(string consumer, int partition, long offset)
    {
    }
}
