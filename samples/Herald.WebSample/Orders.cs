using System.Collections.Concurrent;

namespace Herald.WebSample;

/// <summary>An order was created. Durable (it has a wire name): it commits with the order's row, through the outbox.</summary>
[Event("web.order-created")]
public sealed record OrderCreated(Guid OrderId, [property: PartitionKey] string Customer, string Sku, int Quantity);

/// <summary>What <c>POST /orders</c> takes. <c>Id</c> is optional: a client that retries sends the same one.</summary>
public sealed record NewOrder(Guid? Id, string? Customer, string? Sku, int Quantity);

/// <summary>Durable consumer "search-index": indexes each order by customer (here in memory; a real app: a search engine).</summary>
public sealed class SearchIndex
{
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<Guid, OrderCreated>> _byCustomer = new(StringComparer.OrdinalIgnoreCase);

    [Subscribe(Consumer = "search-index")]
    public void Index(OrderCreated e) => _byCustomer.GetOrAdd(e.Customer, _ => new())[e.OrderId] = e;

    public IReadOnlyList<OrderCreated> Find(string customer)
        => _byCustomer.TryGetValue(customer, out var orders) ? [.. orders.Values.OrderBy(o => o.OrderId)] : [];
}

/// <summary>Durable consumer "notify": tells the customer (here: records the message it would send).</summary>
public sealed class Notifier(ILogger<Notifier> logger)
{
    private readonly ConcurrentQueue<string> _sent = new();

    [Subscribe(Consumer = "notify")]
    public void Notify(OrderCreated e)
    {
        var message = $"{e.Customer}: your order {e.OrderId} of {e.Quantity} x {e.Sku} is confirmed";
        _sent.Enqueue(message);
        logger.LogInformation("notified {Message}", message);
    }

    public IReadOnlyList<string> Sent => [.. _sent];
}
