namespace Herald.Durable.Tests;

/// <summary>Counts the batches appended to an inner log.</summary>
public sealed class CountingLog(IEventLog inner) : IEventLog
{
    private int _batches;

    public int Batches => Volatile.Read(ref _batches);

    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _batches);
        return inner.AppendAsync(batch, cancellationToken);
    }

    public ValueTask<IReadOnlyList<EventEnvelope>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken) => inner.ReadAsync(afterPosition, maxCount, cancellationToken);
    public ValueTask<LogBounds> GetBoundsAsync(CancellationToken cancellationToken) => inner.GetBoundsAsync(cancellationToken);
    public ValueTask<long?> GetOffsetAsync(string consumer, CancellationToken cancellationToken) => inner.GetOffsetAsync(consumer, cancellationToken);
    public ValueTask SetOffsetAsync(string consumer, long position, CancellationToken cancellationToken) => inner.SetOffsetAsync(consumer, position, cancellationToken);
    public ValueTask<long> FindPositionAsync(DateTimeOffset time, CancellationToken cancellationToken) => inner.FindPositionAsync(time, cancellationToken);
    public ValueTask<IHandlingBatch> BeginHandlingAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken) => inner.BeginHandlingAsync(consumer, envelopes, cancellationToken);
    public ValueTask<long> AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken) => inner.AddDeadLetterAsync(letter, cancellationToken);
    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? consumer, int maxCount, CancellationToken cancellationToken) => inner.ListDeadLettersAsync(consumer, maxCount, cancellationToken);
    public ValueTask<bool> DeleteDeadLetterAsync(long id, CancellationToken cancellationToken) => inner.DeleteDeadLetterAsync(id, cancellationToken);
    public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken) => inner.ApplyRetentionAsync(policy, cancellationToken);
    public ValueTask DisposeAsync() => inner.DisposeAsync();
}

/// <summary>A log whose appends always fail, as a full disk would make them.</summary>
public sealed class FailingLog : IEventLog
{
    private int _attempts;

    public int Attempts => Volatile.Read(ref _attempts);

    public ValueTask<IReadOnlyList<long>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _attempts);
        throw new IOException("disk full");
    }

    public ValueTask<IReadOnlyList<EventEnvelope>> ReadAsync(long afterPosition, int maxCount, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<EventEnvelope>>([]);
    public ValueTask<LogBounds> GetBoundsAsync(CancellationToken cancellationToken) => ValueTask.FromResult(new LogBounds(0, 0));
    public ValueTask<long?> GetOffsetAsync(string consumer, CancellationToken cancellationToken) => ValueTask.FromResult<long?>(null);
    public ValueTask SetOffsetAsync(string consumer, long position, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    public ValueTask<long> FindPositionAsync(DateTimeOffset time, CancellationToken cancellationToken) => ValueTask.FromResult(0L);
    public ValueTask<IHandlingBatch> BeginHandlingAsync(string consumer, IReadOnlyList<EventEnvelope> envelopes, CancellationToken cancellationToken) => throw new IOException("disk full");
    public ValueTask<long> AddDeadLetterAsync(DeadLetter letter, CancellationToken cancellationToken) => throw new IOException("disk full");
    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? consumer, int maxCount, CancellationToken cancellationToken) => ValueTask.FromResult<IReadOnlyList<DeadLetter>>([]);
    public ValueTask<bool> DeleteDeadLetterAsync(long id, CancellationToken cancellationToken) => ValueTask.FromResult(false);
    public ValueTask<long> ApplyRetentionAsync(RetentionPolicy policy, CancellationToken cancellationToken) => ValueTask.FromResult(0L);
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
