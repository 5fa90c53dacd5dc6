using Herald.Redis.Storage;

namespace Herald.Redis;

/// <summary>Options of the Redis Streams durable log (<see cref="RedisEventLog"/>).</summary>
public sealed class RedisOptions
{
    /// <summary>
    /// A StackExchange.Redis configuration string: endpoints and options, for example <c>localhost:6379</c> or
    /// <c>redis-1:6379,redis-2:6379,password=...,ssl=true</c>. It never appears in Herald's logs or exceptions (only the
    /// endpoints do). Herald sets <c>abortConnect=false</c>, so an app starts while the server is briefly unreachable
    /// and reconnects by itself.
    /// </summary>
    public string Configuration { get; set; } = string.Empty;

    /// <summary>
    /// The prefix of every key of the log (default <c>herald:</c>): two logs on one server need two prefixes. 1 to 100
    /// printable ASCII characters without spaces and without <c>* ? [ ] \</c>. On Redis Cluster use a hash tag, for example
    /// <c>{herald}:</c>: the log's scripts touch several of its keys at once, which Cluster allows only within one slot.
    /// </summary>
    public string KeyPrefix { get; set; } = LogKeys.DefaultPrefix;

    /// <summary>
    /// The partition count of a new log (default 8). A log keeps the count it was created with: null opens an existing
    /// log whatever its count; a value that differs from the stored count is an error naming both.
    /// </summary>
    public int? Partitions { get; set; }

    /// <summary>
    /// How many replicas must have received an append before it counts as committed (Redis <c>WAIT</c>); 0 (default)
    /// does not wait. With 1 or more, a <c>Persisted</c> publish returns once the primary applied the append and that
    /// many replicas acknowledged it within <see cref="ReplicaTimeout"/>; when fewer did, the append fails and the log
    /// writer retries it (the retry appends the events again, with the same ids: consumers' inboxes skip the repeat).
    /// Appends then use a connection of their own, since <c>WAIT</c> holds the connection it runs on.
    /// </summary>
    public int WaitForReplicas { get; set; }

    /// <summary>How long an append waits for <see cref="WaitForReplicas"/> replicas. Default 1 second.</summary>
    public TimeSpan ReplicaTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether retention waits for consumers (default true): it never removes an event of a partition that a consumer
    /// with a committed offset there has not passed, whatever <see cref="RetentionPolicy"/> says; a consumer that stopped
    /// for good then holds the log's memory until its offset is moved (<c>herald offsets set</c>) or this is false. With
    /// false, retention follows the policy alone, as on SQLite, and a consumer left behind is reported
    /// (<see cref="ConsumerBehindRetentionException"/>), never skipped silently.
    /// </summary>
    public bool RetentionWaitsForConsumers { get; set; } = true;

    /// <summary>
    /// Whether opening creates the log when its root key (<c>{prefix}log</c>) is missing, and writes that key again when a
    /// flush removed it under a running log. Default true. False opens only a log that exists under
    /// <see cref="KeyPrefix"/>, writing no key to open it: a prefix without a Herald log (or whose root was removed) is
    /// an error that says so. Tools (<c>herald</c>) open logs this way, so that a wrong prefix never leaves a new empty
    /// log behind.
    /// </summary>
    public bool CreateIfMissing { get; set; } = true;

    internal RedisOptions Clone() => new()
    {
        CreateIfMissing = CreateIfMissing,
        Configuration = Configuration,
        KeyPrefix = KeyPrefix,
        Partitions = Partitions,
        WaitForReplicas = WaitForReplicas,
        ReplicaTimeout = ReplicaTimeout,
        RetentionWaitsForConsumers = RetentionWaitsForConsumers,
    };

    /// <summary>Checks the options; the exception names the one that cannot be used.</summary>
    internal void Validate(string parameterName)
    {
        if (string.IsNullOrWhiteSpace(Configuration))
            throw new ArgumentException("The Redis configuration is empty; give the server's endpoint, for example 'localhost:6379'.", parameterName);
        LogKeys.ValidatePrefix(KeyPrefix, parameterName);
        if (Partitions is { } partitions)
            Herald.Durable.Partitioning.ValidateCount(partitions, parameterName);
        if (WaitForReplicas < 0)
            throw new ArgumentOutOfRangeException(parameterName, WaitForReplicas, "RedisOptions.WaitForReplicas cannot be negative.");
        if (ReplicaTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(parameterName, ReplicaTimeout, "RedisOptions.ReplicaTimeout must be positive.");
    }
}
