using Herald;
using Herald.Sample;
using Microsoft.Extensions.DependencyInjection;

// The handlers below are plain methods; the generator wrote their dispatch table at build time.
var services = new ServiceCollection();
services.AddSingleton<IStockService, InMemoryStock>();
services.AddHerald();
await using var provider = services.BuildServiceProvider();
var bus = provider.GetRequiredService<IEventBus>();

await bus.PublishAsync(new OrderCreated(Guid.Parse("0190a5c4-0000-7000-8000-000000000001"), "SKU-42", 3, DateTimeOffset.UnixEpoch));
bus.Publish(new AuditPing("sample started"));

// The typed path: the same handlers, called without the per-event slot.
await HeraldDispatch.PublishAsync(bus, new OrderCreated(Guid.Parse("0190a5c4-0000-7000-8000-000000000002"), "SKU-7", 1, DateTimeOffset.UnixEpoch));

var stock = (InMemoryStock)provider.GetRequiredService<IStockService>();
Console.WriteLine($"reserved: {string.Join(", ", stock.Reserved.Select(r => $"{r.Sku} x{r.Quantity}"))}");

namespace Herald.Sample
{
    /// <summary>Every order event carries its order id.</summary>
    public interface IOrderEvent
    {
        Guid OrderId { get; }
    }

    [Event("orders.created")]
    public sealed record OrderCreated(Guid OrderId, string Sku, int Quantity, DateTimeOffset PlacedAt) : IOrderEvent;

    public sealed record AuditPing(string Text);

    public interface IStockService
    {
        ValueTask ReserveAsync(string sku, int quantity, CancellationToken cancellationToken);
    }

    public sealed class InMemoryStock : IStockService
    {
        public List<(string Sku, int Quantity)> Reserved { get; } = [];

        public ValueTask ReserveAsync(string sku, int quantity, CancellationToken cancellationToken)
        {
            Reserved.Add((sku, quantity));
            return ValueTask.CompletedTask;
        }
    }

    public sealed class Inventory(IStockService stock)
    {
        [Subscribe]
        public ValueTask Reserve(OrderCreated e, CancellationToken ct) => stock.ReserveAsync(e.Sku, e.Quantity, ct);
    }

    public static class AuditLog
    {
        [Subscribe(Order = -10)]
        public static void Write(OrderCreated e) => Console.WriteLine($"audit: order {e.OrderId} for {e.Quantity} x {e.Sku}");

        [Subscribe]
        public static void Write(AuditPing e) => Console.WriteLine($"audit: {e.Text}");
    }

    public sealed class OrderTimeline
    {
        // A handler of an interface receives every event that implements it, after the handlers with lower Order.
        [Subscribe(Order = 10)]
        public async Task Record(IOrderEvent e, CancellationToken ct)
        {
            await Task.Yield();
            Console.WriteLine($"timeline: {e.GetType().Name} {e.OrderId}");
        }
    }
}
