using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// Dispatch code for one event type, written by the generator. Infrastructure for generated code.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class EventDispatcher
{
    private protected EventDispatcher() { }

    /// <summary>The event type this dispatcher serves.</summary>
    public abstract Type EventType { get; }

    /// <summary>The generated module that wrote this dispatcher.</summary>
    public HeraldModule Module { get; internal set; } = null!;

    /// <summary>Publishes an event whose static type was not this dispatcher's (polymorphic publish).</summary>
    public abstract void PublishObject(IEventBus bus, object e);

    /// <summary>Publishes an event whose static type was not this dispatcher's (polymorphic publish).</summary>
    public abstract ValueTask PublishObjectAsync(IEventBus bus, object e, CancellationToken cancellationToken);

    /// <summary>Puts this dispatcher in its event's slot (behind an <see cref="ObservedDispatcher{TEvent}"/> once publishes are observed).</summary>
    internal abstract void Install();

    internal abstract EventDispatcher CombineWith(EventDispatcher later);
}

/// <summary>
/// Dispatch code for <typeparamref name="TEvent"/>, written by the generator. Infrastructure for generated code.
/// </summary>
/// <typeparam name="TEvent">The event type.</typeparam>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class EventDispatcher<TEvent> : EventDispatcher
{
    /// <summary>Base constructor for generated dispatchers.</summary>
    protected EventDispatcher() { }

    /// <inheritdoc />
    public sealed override Type EventType => typeof(TEvent);

    /// <summary>Runs the inline handlers synchronously.</summary>
    public abstract void Publish(IEventBus bus, TEvent e);

    /// <summary>Runs the inline handlers, completing synchronously when they all do.</summary>
    public abstract ValueTask PublishAsync(IEventBus bus, TEvent e, CancellationToken cancellationToken);

    /// <inheritdoc />
    public sealed override void PublishObject(IEventBus bus, object e) => Publish(bus, (TEvent)e);

    /// <inheritdoc />
    public sealed override ValueTask PublishObjectAsync(IEventBus bus, object e, CancellationToken cancellationToken)
        => PublishAsync(bus, (TEvent)e, cancellationToken);

    internal sealed override void Install()
        => EventSlot<TEvent>.Dispatcher = HeraldRegistry.ObservingPublishes ? new ObservedDispatcher<TEvent>(this) : this;

    internal sealed override EventDispatcher CombineWith(EventDispatcher later)
        => new CompositeDispatcher<TEvent>(this, (EventDispatcher<TEvent>)later) { Module = Module };
}
