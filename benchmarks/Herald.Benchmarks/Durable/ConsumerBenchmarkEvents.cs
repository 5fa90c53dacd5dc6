namespace Herald.Benchmarks.Durable;

/// <summary>The event of <see cref="ConsumerThroughputBenchmarks"/>: a reading of one of 1,000 meters (the partition key).</summary>
[Event("bench.meter-read")]
public sealed record MeterRead([property: PartitionKey] string Meter, int Sequence, double Value);

/// <summary>
/// The ten event types of <see cref="CatchUpBenchmarks"/>'s big log; consumer "bench-catch-up" handles only the first.
/// Each is a small record with a key, so the ten types are spread over the same partitions.
/// </summary>
[Event("bench.type-0")]
public sealed record Type0Noted([property: PartitionKey] string Key, int Sequence);

/// <summary>Counts the deliveries of the consumer benchmarks and says when the expected number arrived.</summary>
public sealed class DeliveryCounter
{
    private int _count;
    private int _expected = int.MaxValue;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Volatile.Read(ref _count);

    public Task Done => _done.Task;

    public void Expect(int expected)
    {
        _count = 0;
        _expected = expected;
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public void Delivered()
    {
        if (Interlocked.Increment(ref _count) == _expected)
            _done.TrySetResult();
    }
}

/// <summary>The durable consumers of the consumer benchmarks: no-op handlers that only count.</summary>
public sealed class BenchmarkConsumers(DeliveryCounter counter)
{
    [Subscribe(Consumer = "bench-throughput")]
    public void Read(MeterRead e) => counter.Delivered();

    [Subscribe(Consumer = "bench-catch-up")]
    public void Note(Type0Noted e) => counter.Delivered();
}
