using System.Diagnostics;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// What the latency run records per event, indexed by sequence: when it was published (the timestamp the probe carries),
/// how long its <c>PublishAsync</c> took to complete, and how long it took to reach the durable consumer. Completes
/// <see cref="AllHandled"/> when the consumer has handled every sequence once.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly long[] _acknowledged;
    private readonly long[] _handled;
    private readonly TaskCompletionSource _allHandled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _handledCount;

    public LatencyRecorder(int total)
    {
        Total = total;
        _acknowledged = new long[total];
        _handled = new long[total];
    }

    public int Total { get; }

    /// <summary>How many distinct sequences the consumer handled.</summary>
    public int HandledCount => Volatile.Read(ref _handledCount);

    /// <summary>Completes once every sequence has been handled.</summary>
    public Task AllHandled => _allHandled.Task;

    /// <summary>Publish-to-acknowledgement durations, in <see cref="Stopwatch"/> ticks (0: not acknowledged).</summary>
    public ReadOnlySpan<long> Acknowledged => _acknowledged;

    /// <summary>Publish-to-consumer durations, in <see cref="Stopwatch"/> ticks (0: not handled).</summary>
    public ReadOnlySpan<long> Handled => _handled;

    public void RecordAcknowledged(int sequence, long elapsedTicks) => _acknowledged[sequence] = Math.Max(1, elapsedTicks);

    /// <summary>Called by the consumer; a redelivery (at least once) keeps the first measurement.</summary>
    public void RecordHandled(int sequence, long publishedAt)
    {
        var elapsed = Math.Max(1, Stopwatch.GetTimestamp() - publishedAt);
        if (Interlocked.CompareExchange(ref _handled[sequence], elapsed, 0) != 0)
            return;
        if (Interlocked.Increment(ref _handledCount) == Total)
            _allHandled.TrySetResult();
    }
}
