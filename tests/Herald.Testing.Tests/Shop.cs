namespace Herald.Testing.Tests;

/// <summary>A durable event keyed by customer: the inline stock check runs at publish, billing charges from the log.</summary>
[Event("shop.order-placed")]
public sealed record OrderPlaced(Guid OrderId, [property: PartitionKey] string Customer, decimal Amount);

/// <summary>A durable event whose consumer always fails: it is retried, then dead-lettered.</summary>
[Event("shop.payment-refused")]
public sealed record PaymentRefused(Guid OrderId, [property: PartitionKey] string Customer);

/// <summary>An inline-only event (no [Event] name): it never reaches the log.</summary>
public sealed record CartViewed(string Customer);

/// <summary>Inline handlers: they run in the publisher's flow.</summary>
public static class Storefront
{
    [Subscribe]
    public static void CheckStock(OrderPlaced order)
    {
        if (order.Amount < 0)
            throw new ArgumentOutOfRangeException(nameof(order), "an order cannot have a negative amount");
    }

    [Subscribe]
    public static void Track(CartViewed view)
    {
        if (view.Customer.Length == 0)
            throw new InvalidOperationException("a cart view needs a customer");
    }
}

/// <summary>The durable consumer <c>billing</c>: charges an order; an amount of 13 fails once (a flaky card gateway).</summary>
public sealed class Billing
{
    private int _flaky;

    [Subscribe(Consumer = "billing")]
    public Task Charge(OrderPlaced order, CancellationToken cancellationToken)
    {
        if (order.Amount == 13 && Interlocked.Increment(ref _flaky) == 1)
            throw new TimeoutException("the card gateway did not answer");
        return Task.CompletedTask;
    }
}

/// <summary>The durable consumer <c>refunds</c>: the refund service is down, so every attempt fails.</summary>
public static class Refunds
{
    [Subscribe(Consumer = "refunds")]
    public static Task Refund(PaymentRefused refused) => throw new InvalidOperationException($"refund service unavailable for order {refused.OrderId}");
}
