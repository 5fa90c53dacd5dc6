namespace Herald.Durable.Tests;

/// <summary>A durable event with a partition key (the customer).</summary>
[Event("tests.order-placed")]
public sealed record OrderPlaced(Guid OrderId, [property: PartitionKey] string Customer, int Sequence, decimal Amount);

/// <summary>A durable event at schema version 2.</summary>
[Event("tests.parcel-shipped", Version = 2)]
public sealed record ParcelShipped(Guid ParcelId, string Carrier, IReadOnlyList<string> Items);

/// <summary>A durable event whose PublishAsync returns once it is queued.</summary>
[Event("tests.audit-noted", Durability = Durability.Buffered)]
public sealed record AuditNoted(string Text);

/// <summary>A durable event with a partition key whose PublishAsync returns once it is queued.</summary>
[Event("tests.meter-read", Durability = Durability.Buffered)]
public sealed record MeterRead([property: PartitionKey] string Meter, int Sequence);

/// <summary>A durable event whose handler the test registers with a scoped lifetime.</summary>
[Event("tests.visit-noted")]
public sealed record VisitNoted([property: PartitionKey] string Page, int Sequence);
