namespace Herald.Benchmarks.Peers;

/// <summary>
/// Publishes from generic code: the event type is a type parameter at the call, so the generator cannot intercept it
/// and the publish goes through the per-event slot, as every <c>IEventBus.Publish</c> did before interceptors (and as
/// a project that opts out with <c>HeraldInterceptors=false</c> still does).
/// </summary>
internal static class SlotPath
{
    public static void Publish<TEvent>(IEventBus bus, TEvent e) => bus.Publish(e);
}
