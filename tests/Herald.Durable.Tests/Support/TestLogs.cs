namespace Herald.Durable.Tests;

/// <summary>Counts the batches appended to an inner log.</summary>
public sealed class CountingLog(IEventLog inner) : IEventLog
{
    private readonly CountingStream _stream = new(inner.Stream);

    public int Batches => _stream.Batches;

    public string Transport => inner.Transport;

    public IEventStream Stream => _stream;

    public ICheckpointStore Checkpoints => inner.Checkpoints;

    public ILeaseStore Leases => inner.Leases;

    public IDeadLetterStore DeadLetters => inner.DeadLetters;

    public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) => inner.ApplyRetentionAsync(policy, now, cancellationToken);

    public ValueTask DisposeAsync() => inner.DisposeAsync();

    private sealed class CountingStream(IEventStream stream) : IEventStream
    {
        private int _batches;

        public int Batches => Volatile.Read(ref _batches);

        public int Partitions => stream.Partitions;

        public ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _batches);
            return stream.AppendAsync(batch, cancellationToken);
        }

        public ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
            => stream.ReadAsync(partition, afterPosition, maxCount, types, cancellationToken);

        public ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken) => stream.GetBoundsAsync(cancellationToken);

        public ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken) => stream.FindPositionAsync(partition, time, cancellationToken);
    }
}

/// <summary>A log whose appends always fail, as a full disk would make them; everything else is an in-memory log.</summary>
public sealed class FailingLog : IEventLog
{
    private readonly InMemoryEventLog _inner = new();
    private readonly FailingStream _stream;

    public FailingLog() => _stream = new FailingStream(_inner.Stream);

    public int Attempts => _stream.Attempts;

    public string Transport => "Failing";

    public IEventStream Stream => _stream;

    public ICheckpointStore Checkpoints => _inner.Checkpoints;

    public ILeaseStore Leases => _inner.Leases;

    public IDeadLetterStore DeadLetters => _inner.DeadLetters;

    public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, DateTimeOffset now, CancellationToken cancellationToken) => ValueTask.FromResult(0L);

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private sealed class FailingStream(IEventStream stream) : IEventStream
    {
        private int _attempts;

        public int Attempts => Volatile.Read(ref _attempts);

        public int Partitions => stream.Partitions;

        public ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            throw new IOException("disk full");
        }

        public ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
            => stream.ReadAsync(partition, afterPosition, maxCount, types, cancellationToken);

        public ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken) => stream.GetBoundsAsync(cancellationToken);

        public ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken) => stream.FindPositionAsync(partition, time, cancellationToken);
    }
}

/// <summary>Reads a whole log, every partition, for assertions.</summary>
public static class LogReading
{
    public static async Task<List<EventEnvelope>> ReadAllAsync(IEventLog log)
    {
        var all = new List<EventEnvelope>();
        for (var partition = 0; partition < log.Stream.Partitions; partition++)
        {
            long after = 0;
            while (true)
            {
                var page = await log.Stream.ReadAsync(partition, after, 1000, null, CancellationToken.None);
                if (page.Envelopes.Count == 0)
                    break;
                all.AddRange(page.Envelopes);
                after = page.Envelopes[^1].Position;
            }
        }
        return all;
    }

    public static async Task<long?> OffsetAsync(IEventLog log, string consumer, int partition = 0)
        => (await log.Checkpoints.GetOffsetsAsync(consumer, CancellationToken.None)).FirstOrDefault(o => o.Partition == partition)?.Position;
}
