using Herald.Infrastructure;

namespace Herald;

/// <summary>
/// Publishes events to the inline handlers that the Herald generator found at build time.
/// </summary>
/// <remarks>
/// <para><see cref="Publish{TEvent}"/> and <see cref="PublishAsync{TEvent}"/> are non-virtual: they jump through a
/// per-event-type slot filled by generated code, so a publish costs about what calling the handlers directly
/// costs, and allocates nothing when the handlers complete synchronously.</para>
/// <para>Dispatch is decided by the static type of the event, with handlers of its base classes and interfaces
/// included. When the static type is not sealed and the runtime type is a different type that the generator
/// knows, the runtime type's handlers run instead.</para>
/// <para>Herald implements this interface itself (obtain it from the service provider after
/// <c>AddHerald</c>); to test code that publishes, build a provider with <c>AddHerald</c> and real handlers.</para>
/// </remarks>
public interface IEventBus
{
    /// <summary>
    /// Runs the inline handlers of <paramref name="event"/> in order, synchronously.
    /// </summary>
    /// <typeparam name="TEvent">The event type; its handlers and those of its base types and interfaces run.</typeparam>
    /// <param name="event">The event; not null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="event"/> is null.</exception>
    /// <exception cref="HandlersFailedException">Under <see cref="FailurePolicy.RunAll"/>, one or more handlers failed.</exception>
    /// <exception cref="InvalidOperationException">The event has an asynchronous inline handler (the HER0006
    /// analyzer reports this at compile time); use <see cref="PublishAsync{TEvent}"/>.</exception>
    sealed void Publish<TEvent>(TEvent @event)
    {
        if (@event is null)
            ThrowHelper.EventIsNull();
        var dispatcher = EventSlot<TEvent>.Dispatcher;
        if (dispatcher is not null)
            dispatcher.Publish(this, @event);
        else
            HeraldRegistry.PublishUnlisted(this, @event);
    }

    /// <summary>
    /// Runs the inline handlers of <paramref name="event"/> in order. Handlers that complete synchronously take
    /// a path without an async state machine; the returned task is then already complete.
    /// </summary>
    /// <typeparam name="TEvent">The event type; its handlers and those of its base types and interfaces run.</typeparam>
    /// <param name="event">The event; not null.</param>
    /// <param name="cancellationToken">Passed to handlers that take one; checked before each handler. Cancellation
    /// stops the publish with <see cref="OperationCanceledException"/> and is not reported as a handler failure.</param>
    /// <returns>A task that completes when every handler has completed.</returns>
    sealed ValueTask PublishAsync<TEvent>(TEvent @event, CancellationToken cancellationToken = default)
    {
        if (@event is null)
            ThrowHelper.EventIsNull();
        var dispatcher = EventSlot<TEvent>.Dispatcher;
        return dispatcher is not null
            ? dispatcher.PublishAsync(this, @event, cancellationToken)
            : HeraldRegistry.PublishUnlistedAsync(this, @event, cancellationToken);
    }

    /// <summary>
    /// The transactional outbox: until the returned scope is disposed, the durable publishes of this bus on the current
    /// async flow are appended in <paramref name="transaction"/>, the app's own transaction on the log's database, so an
    /// event is visible to consumers if and only if the transaction commits. Inline handlers still run at publish, in the
    /// publisher's flow. <c>PublishAsync</c> then returns once the event is written in the transaction, whatever its
    /// <see cref="Durability"/>: it is durable when the transaction commits. With EF Core, pass
    /// <c>context.Database.CurrentTransaction!.GetDbTransaction()</c>.
    /// </summary>
    /// <param name="transaction">An open transaction on the durable log's database.</param>
    /// <returns>The scope; dispose it when the transaction is done (before or after its commit).</returns>
    /// <exception cref="NotSupportedException">The log has no transactions (in-memory, Redis); the message says what to do instead.</exception>
    /// <exception cref="ArgumentException">The transaction is on another database than the log's, or already ended.</exception>
    sealed IDisposable Enlist(System.Data.Common.DbTransaction transaction) => Durable.Enlistment.Enter(Bus, transaction);

    /// <summary>Keeps implementations inside Herald: dispatch relies on the bus being Herald's own.</summary>
    internal EventBus Bus { get; }
}
