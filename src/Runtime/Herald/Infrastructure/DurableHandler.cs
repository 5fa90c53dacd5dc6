using System.ComponentModel;

namespace Herald.Infrastructure;

/// <summary>
/// One <c>[Subscribe(Consumer = ...)]</c> handler, as generated: the consumer it belongs to, the wire name of the event
/// it receives, and how to call it with the event read from the log. Infrastructure for generated code.
/// </summary>
/// <param name="Consumer">The durable consumer's name.</param>
/// <param name="EventName">The wire name of the event type it receives.</param>
/// <param name="Handler">The handler, as <c>Namespace.Type.Method</c>.</param>
/// <param name="Order">The handler's <see cref="SubscribeAttribute.Order"/> among the consumer's handlers of the event.</param>
/// <param name="Invoke">Calls the handler: the services to resolve it from, the event, the token.</param>
/// <param name="HandlerType">The class an instance handler is resolved as; null for a static handler. Its registered
/// lifetime decides whether a delivery needs a service scope of its own (singletons do not).</param>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed record DurableHandler(
    string Consumer,
    string EventName,
    string Handler,
    int Order,
    Func<IServiceProvider, object, CancellationToken, ValueTask> Invoke,
    Type? HandlerType = null);
