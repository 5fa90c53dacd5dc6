using StackExchange.Redis;

namespace Herald.Redis.Storage;

/// <summary>
/// Turns what the server answers when it cannot do what the log asks into errors that say what is wrong and what to
/// do. The messages name the server's endpoints, never the configuration string (which may hold a password).
/// </summary>
internal static class RedisFailures
{
    /// <summary>The error a script returns when the log's root key is gone (a flush, a restart without persistence).</summary>
    public const string NoLog = "HERALDNOLOG";

    /// <summary>The error the append script returns when the stored partition count is not the writer's.</summary>
    public const string Partitions = "HERALDPARTITIONS";

    /// <summary>The error the append script returns when a stream already holds the position it would give.</summary>
    public const string Ahead = "HERALDAHEAD";

    /// <summary>True when <paramref name="exception"/> is the server saying the log's root key is missing.</summary>
    public static bool IsMissingRoot(Exception exception)
        => exception is RedisServerException server && server.Message.StartsWith(NoLog, StringComparison.Ordinal);

    /// <summary>
    /// An exception that explains <paramref name="exception"/> (a read-only replica, an out-of-memory server, a stream
    /// the log did not write), or null when it needs no other words.
    /// </summary>
    public static Exception? Explain(Exception exception, string endpoints)
    {
        if (exception is not RedisServerException server)
            return null;
        var message = server.Message;
        if (message.StartsWith("READONLY", StringComparison.Ordinal))
            return new InvalidOperationException(
                $"The Redis server at {endpoints} is a read-only replica: Herald.Redis appends and commits, so point " +
                "Herald:Redis:Configuration at the primary (or list every node and let the client find it).", exception);
        if (message.StartsWith("OOM", StringComparison.Ordinal))
            return new InvalidOperationException(
                $"The Redis server at {endpoints} is out of memory (used memory above 'maxmemory'), and refused the write whole: " +
                "nothing of it was applied. Raise maxmemory, apply retention (HeraldOptions.Retention), or move consumers that " +
                "hold retention back (RedisOptions.RetentionWaitsForConsumers).", exception);
        if (message.StartsWith(Ahead, StringComparison.Ordinal))
            return new InvalidOperationException(
                $"The Redis log is inconsistent ({message[Ahead.Length..].Trim()}): its root key was removed or rewritten while its " +
                "streams remained. Nothing was appended. Restore the root key from a backup, or remove the log's keys to start afresh.", exception);
        if (message.StartsWith("NOPERM", StringComparison.Ordinal))
            return new InvalidOperationException(
                $"The Redis user Herald connects as to {endpoints} lacks a permission the log needs ({message}). Grant it the " +
                "stream, hash, set, sorted set, scripting and pub/sub commands on the log's keys and channel.", exception);
        return null;
    }
}
