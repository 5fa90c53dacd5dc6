using Herald.Benchmarks.Durable;

namespace Herald.Benchmarks.Wolverine;

/// <summary>
/// Herald's durable consumer of the end-to-end rows: a no-op that counts. Its consumer is configured only where a
/// benchmark runs it (<c>o.Consumer(HeraldConsumer, ...)</c> and <c>DurableConsumers.StartAsync</c>); elsewhere the
/// subscription is inert.
/// </summary>
public sealed class HeraldOrderSubscriber(HandledCounter counter)
{
    /// <summary>The durable consumer's name.</summary>
    public const string Consumer = "bench-wolverine-e2e";

    [Subscribe(Consumer = Consumer)]
    public void On(OrderPlaced order) => counter.Handled();
}

/// <summary>
/// Wolverine's handler of the same record: a no-op that counts, found by name (Wolverine's conventional discovery is
/// off; <see cref="WolverineHost"/> includes this type alone).
/// </summary>
public static class WolverineOrderHandler
{
    public static void Handle(OrderPlaced order, HandledCounter counter) => counter.Handled();
}
