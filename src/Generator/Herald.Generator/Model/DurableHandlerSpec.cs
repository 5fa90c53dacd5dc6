namespace Herald.Generator.Model
{
    /// <summary>
    /// A <c>[Subscribe(Consumer = ...)]</c> handler as the module lists it in <c>CreateDurableHandlers</c>: holds only
    /// what is written, so moving the handler within its file leaves the table unchanged.
    /// </summary>
    /// <param name="Consumer">The durable consumer's name.</param>
    /// <param name="EventName">The wire name of its event type.</param>
    /// <param name="EventTypeName">The event type, fully qualified with <c>global::</c>.</param>
    /// <param name="Order">The <c>Order</c> of its <c>[Subscribe]</c>.</param>
    /// <param name="Call">How the handler is called.</param>
    internal sealed record DurableHandlerSpec(
        string Consumer,
        string EventName,
        string EventTypeName,
        int Order,
        HandlerCallSpec Call);
}
