using Herald.Durable;

namespace Herald;

/// <summary>Options of Herald, set through <c>AddHerald(o => …)</c> or bound from configuration.</summary>
public sealed class HeraldOptions
{
    private readonly Dictionary<string, Action<ConsumerOptions>> _consumerOverrides = new(StringComparer.Ordinal);

    /// <summary>What a publish does when an inline handler throws. Default <see cref="FailurePolicy.RunAll"/>.</summary>
    public FailurePolicy FailurePolicy { get; set; } = FailurePolicy.RunAll;

    /// <summary>
    /// The transport's name (<c>InMemory</c>, <c>Sqlite</c>, …), as set by <c>UseInMemory</c>, <c>UseSqlite</c> or the
    /// <c>Herald:Transport</c> configuration key. Default <c>InMemory</c>: durable events go to an in-process log
    /// (delivered at least once while the process lives; lost when it ends).
    /// </summary>
    public string Transport { get; private set; } = InMemoryEventLog.TransportName;

    /// <summary>When true, every published durable event and every delivery is logged (development). Default false.</summary>
    public bool LogEvents { get; set; }

    /// <summary>The largest serialized payload a durable event may have; a larger one is refused at publish. Default 1 MiB.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;

    /// <summary>How many envelopes may wait for the log writer; a full queue makes publishers wait. Default 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>The most envelopes the writer commits in one transaction (group commit). Default 512.</summary>
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>How many times a failing append is retried (with backoff) before its events are dead-lettered. Default 3.</summary>
    public int AppendRetries { get; set; } = 3;

    /// <summary>The wait before the first append retry; it doubles for each further one. Default 50 ms.</summary>
    public TimeSpan AppendRetryDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Where events that cannot be appended go, one envelope per line. Default <c>dead-letters.jsonl</c> in the current
    /// directory (transports with a file, like SQLite, put it next to their database unless this is set).
    /// </summary>
    public string? DeadLetterFile { get; set; }

    /// <summary>How long shutdown waits for queued events to be written; what remains goes to the dead-letter file. Default 10 s.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The defaults of every durable consumer.</summary>
    public ConsumerOptions Consumers { get; } = new();

    /// <summary>What the log keeps. Default: everything.</summary>
    public RetentionPolicy Retention { get; } = new();

    /// <summary>How often retention is applied while consumers run. Default 10 minutes.</summary>
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The partition count of a new log (default <see cref="Partitioning.DefaultPartitions"/>, 8). An existing log keeps
    /// the count it was created with: leave this null to open it whatever its count; a value that differs from the
    /// stored count is an error when the log opens (a count change would move keys between partitions).
    /// </summary>
    public int? Partitions { get; set; }

    /// <summary>
    /// This instance's id as a member of consumer groups (shown as the owner of its partitions). Default: host name,
    /// process id and a random suffix, for example <c>web-3:4711:9f2c1a</c>. Set it when the host's name says more.
    /// </summary>
    public string InstanceId { get; set; } = DefaultInstanceId();

    /// <summary>Where durable consumers, leases, retries and retention take the time from. Default <see cref="TimeProvider.System"/>.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The source of retry jitter (tests make it predictable).</summary>
    internal Func<double> Jitter { get; set; } = Random.Shared.NextDouble;

    internal Func<IServiceProvider, IEventLog>? LogFactory { get; private set; }

    internal string? DefaultDeadLetterFile { get; private set; }

    /// <summary>Overrides the consumer defaults for one durable consumer.</summary>
    /// <param name="consumer">The consumer's name, as in <c>[Subscribe(Consumer = "...")]</c>.</param>
    /// <param name="configure">Changes its options.</param>
    /// <returns>These options.</returns>
    public HeraldOptions Consumer(string consumer, Action<ConsumerOptions> configure)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentNullException.ThrowIfNull(configure);
        _consumerOverrides[consumer] = _consumerOverrides.TryGetValue(consumer, out var earlier) ? earlier + configure : configure;
        return this;
    }

    /// <summary>Keeps durable events in an in-process log (development and tests).</summary>
    /// <returns>These options.</returns>
    public HeraldOptions UseInMemory() => UseLog(InMemoryEventLog.TransportName, _ => new InMemoryEventLog(Partitions ?? Partitioning.DefaultPartitions));

    /// <summary>
    /// Uses <paramref name="factory"/>'s log for durable events. Transports call this from their own <c>UseX</c>
    /// extension.
    /// </summary>
    /// <param name="transport">The transport's name, for logs and metrics.</param>
    /// <param name="factory">Creates the log once, from the app's services.</param>
    /// <param name="defaultDeadLetterFile">Where append dead letters go unless <see cref="DeadLetterFile"/> is set.</param>
    /// <returns>These options.</returns>
    public HeraldOptions UseLog(string transport, Func<IServiceProvider, IEventLog> factory, string? defaultDeadLetterFile = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(transport);
        ArgumentNullException.ThrowIfNull(factory);
        Transport = transport;
        LogFactory = factory;
        DefaultDeadLetterFile = defaultDeadLetterFile;
        return this;
    }

    private static string DefaultInstanceId()
        => $"{Environment.MachineName}:{Environment.ProcessId}:{Random.Shared.Next(0x1000000):x6}";

    internal ConsumerOptions OptionsFor(string consumer)
    {
        var options = Consumers.Clone();
        if (_consumerOverrides.TryGetValue(consumer, out var configure))
            configure(options);
        options.Validate(consumer);
        return options;
    }

    /// <summary>Checks the options; the exception names <paramref name="parameterName"/> (the caller's argument).</summary>
    internal void Validate(string parameterName)
    {
        if (!Enum.IsDefined(FailurePolicy))
            throw new ArgumentOutOfRangeException(parameterName, FailurePolicy,
                $"HeraldOptions.FailurePolicy must be {nameof(FailurePolicy.RunAll)} or {nameof(FailurePolicy.StopOnFirst)}.");
        if (MaxPayloadBytes < 1)
            throw new ArgumentOutOfRangeException(parameterName, MaxPayloadBytes, "HeraldOptions.MaxPayloadBytes must be positive.");
        if (QueueCapacity < 1)
            throw new ArgumentOutOfRangeException(parameterName, QueueCapacity, "HeraldOptions.QueueCapacity must be positive.");
        if (MaxBatchSize < 1)
            throw new ArgumentOutOfRangeException(parameterName, MaxBatchSize, "HeraldOptions.MaxBatchSize must be positive.");
        if (AppendRetries < 0)
            throw new ArgumentOutOfRangeException(parameterName, AppendRetries, "HeraldOptions.AppendRetries cannot be negative.");
        if (Partitions is { } partitions && partitions is < 1 or > Partitioning.MaxPartitions)
            throw new ArgumentOutOfRangeException(parameterName, partitions, $"HeraldOptions.Partitions must be 1 to {Partitioning.MaxPartitions}.");
        if (string.IsNullOrWhiteSpace(InstanceId) || InstanceId.Length > 200 || InstanceId.Any(char.IsControl))
            throw new ArgumentException("HeraldOptions.InstanceId must be 1 to 200 characters, not blank, without control characters.", parameterName);
        ArgumentNullException.ThrowIfNull(TimeProvider, parameterName);
        Consumers.Validate("(defaults)");
    }
}
