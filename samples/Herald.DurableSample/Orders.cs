using System.Collections.Concurrent;
using Herald;

namespace Herald.DurableSample;

/// <summary>
/// An order was placed. Durable: it has a wire name, so it is appended to the log. Events of one SKU (the partition
/// key) reach each consumer in order.
/// </summary>
[Event("orders.created")]
public sealed record OrderCreated(Guid OrderId, [property: PartitionKey] string Sku, int Quantity, DateTimeOffset PlacedAt, string Note);

/// <summary>Inline handlers: run in the publisher's flow; losing them in a crash is acceptable.</summary>
public static class AuditLog
{
    [Subscribe(Order = -10)]
    public static void Write(OrderCreated e) => Console.WriteLine($"audit: order {e.Quantity} x {e.Sku} ({e.OrderId})");
}

public sealed class OrderCache
{
    private readonly ConcurrentDictionary<Guid, OrderCreated> _orders = new();

    public int Count => _orders.Count;

    [Subscribe]
    public void Remember(OrderCreated e) => _orders[e.OrderId] = e;
}

/// <summary>Durable consumers: delivered from the log at least once, even after a crash or a long outage.</summary>
public sealed class Stock
{
    private readonly ConcurrentDictionary<string, int> _reserved = new();

    [Subscribe(Consumer = "stock")]
    public Task Reserve(OrderCreated e, CancellationToken ct)
    {
        _reserved.AddOrUpdate(e.Sku, e.Quantity, (_, q) => q + e.Quantity);
        return Task.CompletedTask;
    }

    public string Describe() => string.Join(", ", _reserved.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => $"{r.Key}={r.Value}"));
}

public static class RiskLog
{
    [Subscribe(Consumer = "risk")]
    public static void Check(OrderCreated e)
    {
        if (e.Quantity >= 5)
            Console.WriteLine($"risk: large order {e.OrderId} ({e.Quantity} x {e.Sku})");
    }
}

public sealed class SearchIndex(SampleSettings settings)
{
    private readonly ConcurrentDictionary<Guid, int> _attempts = new();
    private int _failures;

    public int Count { get; private set; }

    public int Failures => _failures;

    /// <summary>Fails the first attempt for every third order, as a flaky search cluster would; the retry succeeds.</summary>
    [Subscribe(Consumer = "search-index")]
    public ValueTask Index(OrderCreated e, CancellationToken ct)
    {
        var attempt = _attempts.AddOrUpdate(e.OrderId, 1, (_, a) => a + 1);
        if (settings.BreakSearchIndex)
            throw new InvalidOperationException($"search index rejected order {e.OrderId}: field 'note' is not mapped");
        if (e.Quantity % 3 == 0 && attempt == 1)
        {
            Interlocked.Increment(ref _failures);
            throw new TimeoutException($"search cluster timed out indexing {e.OrderId}");
        }
        Count++;
        if (settings.PrintEachOrder)
            Console.WriteLine($"search-index: indexed {e.Sku} order {e.OrderId} (partition {DurableContext.Current!.Envelope.Partition})");
        return ValueTask.CompletedTask;
    }
}
