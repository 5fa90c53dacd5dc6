namespace Herald.Postgres.Tests;

/// <summary>A durable event with a partition key (the customer).</summary>
[Event("pg-tests.order-placed")]
public sealed record OrderPlaced(Guid OrderId, [property: PartitionKey] string Customer, int Sequence);

/// <summary>A durable event whose consumer writes a row through the handler's transaction.</summary>
[Event("pg-tests.payment-received")]
public sealed record PaymentReceived(Guid PaymentId, [property: PartitionKey] string Account, decimal Amount);
