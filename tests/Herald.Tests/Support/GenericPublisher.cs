namespace Herald.Tests.Support;

/// <summary>
/// Publishes from generic code, where neither the generator nor the HER0006 analyzer can see the event type: the
/// way a generic outbox or repository publishes.
/// </summary>
internal static class GenericPublisher
{
    public static void Publish<TEvent>(IEventBus bus, TEvent @event) => bus.Publish(@event);

    public static ValueTask PublishAsync<TEvent>(IEventBus bus, TEvent @event, CancellationToken cancellationToken = default)
        => bus.PublishAsync(@event, cancellationToken);
}
