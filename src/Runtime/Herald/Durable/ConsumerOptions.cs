namespace Herald;

/// <summary>How a durable consumer reads and retries. Set defaults on <see cref="HeraldOptions.Consumers"/> and per
/// consumer with <see cref="HeraldOptions.Consumer(string, Action{ConsumerOptions})"/>.</summary>
public sealed class ConsumerOptions
{
    /// <summary>Where a consumer with no committed offset starts. Default <see cref="Herald.StartPosition.Earliest"/>.</summary>
    public StartPosition StartPosition { get; set; } = StartPosition.Earliest;

    /// <summary>How many times a failing handler is tried before the event is dead-lettered. Default 5.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>The wait before the second attempt; it doubles for each further one, with jitter. Default 100 ms.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between attempts. Default 30 s.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many events one read of a partition takes from the log; the consumer commits its progress in that partition
    /// (inbox marks and offset) once per read, so a crash redelivers at most this many handled events per partition.
    /// Default 256.
    /// </summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// How long a consumer that keeps up with a partition lets completed events wait for their commit (inbox marks and
    /// offset) when fewer than <see cref="BatchSize"/> are pending: under a steady flow it then commits once per interval
    /// instead of after every small read, which leaves the database's single writer to the log writer. A crash
    /// redelivers at most this long's (or one batch's) handled events. A handler that uses the log's transaction commits
    /// at once, with it. Default 100 ms.
    /// </summary>
    public TimeSpan CommitInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How often an idle consumer looks at the log for events appended by other processes (this process's appends
    /// wake it at once). Default 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a member holds a partition's lease without renewing it; a member that stops renewing (crashed, hung,
    /// cut off) loses its partitions after this, and another member takes them. Default 15 s.
    /// </summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How often a member renews its leases, sends its heartbeat and rebalances, on a loop of its own that handlers do
    /// not hold up. Must be shorter than <see cref="LeaseDuration"/>. Default 5 s.
    /// </summary>
    public TimeSpan LeaseRenewalInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many of the partitions this instance owns it handles at the same time (each in order); the others wait
    /// their turn between read batches. Default 8.
    /// </summary>
    public int MaxConcurrentPartitions { get; set; } = 8;

    internal ConsumerOptions Clone() => (ConsumerOptions)MemberwiseClone();

    internal void Validate(string consumer)
    {
        if (MaxAttempts < 1)
            throw new InvalidOperationException($"Consumer '{consumer}': MaxAttempts must be at least 1.");
        if (BatchSize < 1)
            throw new InvalidOperationException($"Consumer '{consumer}': BatchSize must be at least 1.");
        if (RetryBaseDelay < TimeSpan.Zero || RetryMaxDelay < RetryBaseDelay)
            throw new InvalidOperationException($"Consumer '{consumer}': RetryBaseDelay must be >= 0 and <= RetryMaxDelay.");
        if (PollInterval <= TimeSpan.Zero)
            throw new InvalidOperationException($"Consumer '{consumer}': PollInterval must be positive.");
        if (LeaseRenewalInterval <= TimeSpan.Zero || LeaseDuration <= LeaseRenewalInterval)
            throw new InvalidOperationException(
                $"Consumer '{consumer}': LeaseRenewalInterval ({LeaseRenewalInterval}) must be positive and shorter than LeaseDuration " +
                $"({LeaseDuration}), or the leases expire between renewals; a third of it is a good value.");
        if (CommitInterval < TimeSpan.Zero)
            throw new InvalidOperationException($"Consumer '{consumer}': CommitInterval cannot be negative.");
        if (MaxConcurrentPartitions < 1)
            throw new InvalidOperationException($"Consumer '{consumer}': MaxConcurrentPartitions must be at least 1.");
    }
}
