using Microsoft.Extensions.Logging;

namespace Herald.Redis.Storage;

/// <summary>Herald.Redis's log messages (compile-time generated). They name endpoints and keys, never the configuration.</summary>
internal static partial class RedisLog
{
    [LoggerMessage(101, LogLevel.Warning, "The Redis log's root key {Key} was missing on {Endpoints} (the server was flushed, or restarted without its data): created it again with {Partitions} partition(s). Events, offsets and leases that were removed with it are gone; consumers start again from their StartPosition.")]
    public static partial void RootRecreated(ILogger logger, string key, string endpoints, string partitions);

    [LoggerMessage(102, LogLevel.Warning, "The Redis server at {Endpoints} has AOF off (appendonly no): a server crash or restart loses every event appended since its last snapshot, also those a Persisted publish acknowledged. Set 'appendonly yes' and 'appendfsync always' to lose nothing acknowledged (docs/durable.md, Redis).")]
    public static partial void AofOff(ILogger logger, string endpoints);

    [LoggerMessage(103, LogLevel.Information, "The Redis server at {Endpoints} syncs its AOF with appendfsync {Policy}: a server crash can lose up to about a second of acknowledged appends (appendfsync always loses none).")]
    public static partial void FsyncNotAlways(ILogger logger, string endpoints, string policy);

    [LoggerMessage(104, LogLevel.Warning, "The Redis server at {Endpoints} has maxmemory-policy {Policy}: when it is full it may evict the log's keys (events, offsets, leases) without a word. Use 'maxmemory-policy noeviction' for a server that holds a Herald log.")]
    public static partial void Eviction(ILogger logger, string endpoints, string policy);

    [LoggerMessage(105, LogLevel.Information, "Retention of partition {Partition} waits for consumer {Consumer} at offset {Offset}: {Kept} event(s) the policy would remove are kept until it passes them (RedisOptions.RetentionWaitsForConsumers).")]
    public static partial void RetentionWaits(ILogger logger, int partition, string consumer, long offset, long kept);

    [LoggerMessage(106, LogLevel.Warning, "Herald.Redis lost its connection to {Endpoints} ({FailureType}); commands wait for the reconnection, appends are retried by the log writer.")]
    public static partial void ConnectionLost(ILogger logger, string endpoints, string failureType);

    [LoggerMessage(107, LogLevel.Information, "Herald.Redis reconnected to {Endpoints}; consumers look at every partition once.")]
    public static partial void ConnectionRestored(ILogger logger, string endpoints);
}
