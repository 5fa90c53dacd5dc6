namespace Herald;

/// <summary>
/// Sees the publishes of one service provider's <see cref="IEventBus"/>: each event before its inline handlers run,
/// and how they ended. Register an implementation before the provider is built
/// (<c>services.TryAddEnumerable(ServiceDescriptor.Singleton&lt;PublishObserver, MyObserver&gt;())</c>); the bus reads
/// the registered observers once, when it is created. Herald.Testing's harness is built on it; for what the durable
/// side does after a publish (appended, handled, dead-lettered), see <see cref="Durable.DurableObserver"/>.
/// </summary>
/// <remarks>
/// <para><b>Cost.</b> An app that registers no observer runs exactly the publish code it runs without this class: the
/// generated dispatchers stay in their slots and no check is added to the publish path. Once a provider with an
/// observer creates its bus, every event slot of the process is given a dispatcher that asks the bus for its observers
/// and otherwise forwards (one virtual call and a field read per publish, in that process only: a test run). Its
/// intercepted publish sites then go through the slot too.</para>
/// <para><b>What is seen.</b> Every <see cref="IEventBus.Publish{TEvent}"/> and
/// <see cref="IEventBus.PublishAsync{TEvent}"/>, intercepted or not, and events no handler listens to. Not seen: calls
/// of the generated typed path <c>HeraldDispatch.Publish(bus, e)</c>, which bind to the dispatch table at compile time
/// and pay for nothing else, and the inner dispatch of a polymorphic publish (the event is seen once, as published).</para>
/// <para>Both methods are called on the publishing thread, in the publisher's async flow (an
/// <see cref="AsyncLocal{T}"/> set in <see cref="OnPublishing"/> is visible to the durable side of the same publish);
/// keep them short. An exception they throw is caught and ignored: an observer never changes what a publish does.</para>
/// </remarks>
public abstract class PublishObserver
{
    /// <summary>An event is being published; its inline handlers run next.</summary>
    /// <param name="published">The event, as published.</param>
    public virtual void OnPublishing(object published)
    {
    }

    /// <summary>
    /// The publish of <paramref name="published"/> ended: its inline handlers ran (and, for a durable event, it was handed
    /// to the log), or the publish threw <paramref name="exception"/> (a <see cref="HandlersFailedException"/>, a
    /// handler's own exception under <see cref="FailurePolicy.StopOnFirst"/>, a cancellation, ...).
    /// </summary>
    /// <param name="published">The event, as published.</param>
    /// <param name="exception">What the publish threw; null when it succeeded.</param>
    public virtual void OnPublished(object published, Exception? exception)
    {
    }
}
