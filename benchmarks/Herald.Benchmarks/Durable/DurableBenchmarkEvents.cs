namespace Herald.Benchmarks.Durable;

/// <summary>
/// The event appended by <see cref="DurableAppendBenchmarks"/> with <see cref="Durability.Persisted"/> (the default):
/// an order, with the customer as partition key. Its payload is about 150 bytes of JSON.
/// </summary>
[Event("bench.order-placed")]
public sealed record OrderPlaced(Guid OrderId, [property: PartitionKey] string Customer, int Quantity, decimal Amount, DateTimeOffset PlacedAt);

/// <summary>The same order as <see cref="OrderPlaced"/>, published with <see cref="Durability.Buffered"/>.</summary>
[Event("bench.order-noted", Durability = Durability.Buffered)]
public sealed record OrderNoted(Guid OrderId, [property: PartitionKey] string Customer, int Quantity, decimal Amount, DateTimeOffset PlacedAt);

/// <summary>
/// The event of the latency run (<see cref="PublishLatencyRun"/>): its sequence number and the
/// <see cref="System.Diagnostics.Stopwatch"/> timestamp taken just before it was published, so the consumer can tell how
/// long it took to reach it. Persisted.
/// </summary>
[Event("bench.latency-probe")]
public sealed record LatencyProbe(int Sequence, long PublishedAt);

/// <summary><see cref="LatencyProbe"/> published with <see cref="Durability.Buffered"/>.</summary>
[Event("bench.latency-probe-buffered", Durability = Durability.Buffered)]
public sealed record BufferedLatencyProbe(int Sequence, long PublishedAt);
