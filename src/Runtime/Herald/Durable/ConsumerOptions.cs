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
    /// How many events one read takes from the log; the consumer commits its progress (inbox marks and offset) once per
    /// read, so a crash redelivers at most this many handled events. Default 256.
    /// </summary>
    public int BatchSize { get; set; } = 256;

    /// <summary>
    /// How often an idle consumer looks at the log for events appended by other processes (this process's appends
    /// wake it at once). Default 1 s.
    /// </summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

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
    }
}
