using System.Globalization;
using Herald.Durable;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Herald.Redis.Storage;

/// <summary>
/// What every part of one <see cref="RedisEventLog"/> shares: the connection, the key layout, the partition count, and
/// the one way scripts are run (errors explained, the root key recreated when a flush removed it).
/// </summary>
/// <remarks>
/// <para><b>Connections.</b> One <see cref="ConnectionMultiplexer"/> per log: StackExchange.Redis pipelines every
/// caller's commands over one socket and never blocks it (no blocking command is ever sent on it), so appends, reads,
/// commits and leases of every thread share it. Wake-ups come over its pub/sub connection
/// (<see cref="RedisNotifications"/>). Only with <see cref="RedisOptions.WaitForReplicas"/> do appends get a second
/// multiplexer, because <c>WAIT</c> holds the connection it is sent on until the replicas answer.</para>
/// <para><b>A missing root.</b> Every script that needs the log's root hash (<see cref="LogKeys.Log"/>) reports its
/// absence; the store then writes it again (the partition count and format, nothing else), logs a warning that says
/// what happened, and runs the script once more. Streams and offsets removed with it are gone; what remains is
/// consistent, since the positions continue from the streams that are left only if the root survived: when it did
/// not, the append script refuses to give a position a stream already holds.</para>
/// </remarks>
internal sealed class RedisStore : IAsyncDisposable
{
    private const int Format = 1;

    private const string EnsureRootScript = """
        #!lua
        redis.call('HSETNX', KEYS[1], 'partitions', ARGV[1])
        redis.call('HSETNX', KEYS[1], 'format', ARGV[2])
        return redis.call('HMGET', KEYS[1], 'partitions', 'format')
        """;

    private readonly ConnectionMultiplexer _connection;
    private readonly ConnectionMultiplexer? _writer;
    private readonly ILogger _logger;
    private int _disposed;

    private RedisStore(ConnectionMultiplexer connection, ConnectionMultiplexer? writer, RedisOptions options, string endpoints, ILogger logger)
    {
        _connection = connection;
        _writer = writer;
        _logger = logger;
        Options = options;
        Endpoints = endpoints;
        Database = connection.GetDatabase();
        Writer = (writer ?? connection).GetDatabase();
        Keys = new LogKeys(options.KeyPrefix, Partitioning.MaxPartitions);
    }

    public RedisOptions Options { get; }

    /// <summary>The server's endpoints as configured (host and port only): what messages name.</summary>
    public string Endpoints { get; }

    public IDatabase Database { get; }

    /// <summary>The database appends go through (a connection of their own with <see cref="RedisOptions.WaitForReplicas"/>).</summary>
    public IDatabase Writer { get; }

    public ISubscriber Subscriber => _connection.GetSubscriber();

    public ConnectionMultiplexer Connection => _connection;

    public LogKeys Keys { get; }

    public int Partitions { get; private set; }

    public ILogger Logger => _logger;

    /// <summary>Connects, checks the server and prepares the log's root; throws with a message that says what to fix.</summary>
    public static RedisStore Open(RedisOptions options, ILogger logger)
    {
        var configuration = Parse(options.Configuration);
        var endpoints = string.Join(", ", configuration.EndPoints.Select(Describe));
        if (endpoints.Length == 0)
            throw new ArgumentException("The Redis configuration names no endpoint; give at least one, for example 'localhost:6379'.", nameof(options));
        ConnectionMultiplexer connection;
        try
        {
            connection = ConnectionMultiplexer.Connect(configuration);
        }
        catch (RedisConnectionException exception)
        {
            throw Unreachable(endpoints, exception);
        }
        ConnectionMultiplexer? writer = null;
        try
        {
            if (options.WaitForReplicas > 0)
                writer = ConnectionMultiplexer.Connect(Parse(options.Configuration));
            var store = new RedisStore(connection, writer, options, endpoints, logger);
            CheckServer(options.Configuration, endpoints, logger);
            store.Partitions = store.EnsureRoot(options.Partitions, options.CreateIfMissing);
            return store;
        }
        catch
        {
            writer?.Dispose();
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Throws <see cref="ObjectDisposedException"/> once the log is disposed.</summary>
    public void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, typeof(RedisEventLog));

    /// <summary>Throws when <paramref name="partition"/> is not one of the log's.</summary>
    public void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= Partitions)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The log has partitions 0 to {Partitions - 1}.");
    }

    /// <summary>Runs <paramref name="script"/>; recreates the root once when the script reports it missing.</summary>
    public async Task<RedisResult> EvaluateAsync(string script, RedisKey[] keys, RedisValue[] values, IDatabase? database = null)
    {
        ThrowIfDisposed();
        try
        {
            return await (database ?? Database).ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
        catch (RedisServerException exception) when (RedisFailures.IsMissingRoot(exception))
        {
            await RecreateRootAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisFailures.Explain(exception, Endpoints) is { } explained)
        {
            throw explained;
        }
        try
        {
            return await (database ?? Database).ScriptEvaluateAsync(script, keys, values).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisFailures.Explain(exception, Endpoints) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>Runs a plain command with the same error explanations.</summary>
    public async Task<T> RunAsync<T>(Func<IDatabase, Task<T>> command)
    {
        ThrowIfDisposed();
        try
        {
            return await command(Database).ConfigureAwait(false);
        }
        catch (Exception exception) when (RedisFailures.Explain(exception, Endpoints) is { } explained)
        {
            throw explained;
        }
    }

    /// <summary>Writes the root again after a flush removed it, and says so (or, without <see cref="RedisOptions.CreateIfMissing"/>, fails).</summary>
    public async Task RecreateRootAsync()
    {
        if (!Options.CreateIfMissing)
            throw new InvalidOperationException(
                $"The Redis log's root key '{Keys.Log}' at {Endpoints} is gone (the keys were flushed or deleted); it was not written again, " +
                "since this log was opened without creating anything. The app that uses the log writes it again when it next appends.");
        var result = (RedisResult[])(await Database.ScriptEvaluateAsync(EnsureRootScript, [Keys.Log],
            [Partitions.ToString(CultureInfo.InvariantCulture), Format]).ConfigureAwait(false))!;
        RedisLog.RootRecreated(_logger, Keys.Log.ToString(), Endpoints, (string?)result[0] ?? "?");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        if (_writer is not null)
            await _writer.DisposeAsync().ConfigureAwait(false);
        await _connection.DisposeAsync().ConfigureAwait(false);
    }

    private int EnsureRoot(int? partitions, bool createIfMissing)
    {
        RedisResult[] stored;
        try
        {
            stored = createIfMissing
                ? (RedisResult[])Database.ScriptEvaluate(EnsureRootScript, [Keys.Log],
                    [(partitions ?? Partitioning.DefaultPartitions).ToString(CultureInfo.InvariantCulture), Format])!
                : [.. Database.HashGet(Keys.Log, ["partitions", "format"]).Select(value => RedisResult.Create(value))];
        }
        catch (Exception exception) when (RedisFailures.Explain(exception, Endpoints) is { } explained)
        {
            throw explained;
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
        {
            throw Unreachable(Endpoints, exception);
        }
        if (!createIfMissing && stored[0].IsNull)
            throw new InvalidOperationException(
                $"There is no Herald log under the key prefix '{Keys.Prefix}' at {Endpoints} (no key '{Keys.Log}'): check the prefix " +
                "(RedisOptions.KeyPrefix, Herald:Redis:KeyPrefix; the default is 'herald:') and the server. Nothing was created.");
        if (!int.TryParse((string?)stored[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count is < 1 or > Partitioning.MaxPartitions)
            throw new InvalidOperationException(
                $"The Redis log '{Keys.Log}' holds partition count '{(string?)stored[0]}', which is not one Herald writes: the key was changed by hand.");
        if ((string?)stored[1] is { } format && format != Format.ToString(CultureInfo.InvariantCulture))
            throw new InvalidOperationException(
                $"The Redis log '{Keys.Log}' has format {format}, written by another version of Herald.Redis; this version reads format {Format}. " +
                "Update the Herald.Redis package, or use another key prefix.");
        if (partitions is { } asked && asked != count)
            throw new InvalidOperationException(
                $"The Redis log '{Keys.Log}' was created with {count} partitions, but {asked} were asked for. A log keeps the count it was " +
                $"created with (changing it would move keys between partitions): ask for {count}, or leave the count unset.");
        return count;
    }

    /// <summary>
    /// Reads the server's role and persistence settings: a replica is refused (the log writes); AOF off, an fsync policy
    /// that can lose acknowledged appends, and an eviction policy that can drop the log's keys are logged as warnings.
    /// A server that refuses INFO or CONFIG (a managed service may) is not checked for what it refuses.
    /// </summary>
    /// <remarks>
    /// StackExchange.Redis sends INFO and CONFIG only on a connection opened with <c>allowAdmin</c>; the log's own
    /// connection never needs them, so the check opens one of its own for these two commands and closes it (one
    /// connection per log at startup). The user's configuration is not changed.
    /// </remarks>
    private static void CheckServer(string configuration, string endpoints, ILogger logger)
    {
        var options = Parse(configuration);
        options.AllowAdmin = true;
        options.ClientName = "herald-check";
        using var admin = ConnectionMultiplexer.Connect(options);
        var database = admin.GetDatabase();
        Dictionary<string, string> info;
        try
        {
            info = ParseInfo((string?)database.Execute("INFO", "replication", "persistence", "memory") ?? string.Empty);
        }
        catch (RedisServerException)
        {
            return;
        }
        catch (Exception exception) when (exception is RedisConnectionException or RedisTimeoutException)
        {
            throw Unreachable(endpoints, exception);
        }
        if (info.TryGetValue("role", out var role) && role == "slave")
            throw new InvalidOperationException(
                $"The Redis server at {endpoints} is a read-only replica: Herald.Redis appends and commits, so point Herald:Redis:Configuration " +
                "at the primary (or list every node and let the client find it).");
        if (info.TryGetValue("aof_enabled", out var aof) && aof == "0")
            RedisLog.AofOff(logger, endpoints);
        else
            CheckFsync(database, endpoints, logger);
        if (info.TryGetValue("maxmemory_policy", out var policy) && policy != "noeviction")
            RedisLog.Eviction(logger, endpoints, policy);
    }

    private static void CheckFsync(IDatabase database, string endpoints, ILogger logger)
    {
        try
        {
            var result = database.Execute("CONFIG", "GET", "appendfsync");
            if (result.Resp2Type == ResultType.Array && ((RedisResult[])result!) is [_, var value] && (string?)value is { } fsync and not "always")
                RedisLog.FsyncNotAlways(logger, endpoints, fsync);
        }
        catch (RedisServerException)
        {
            // CONFIG is often disabled on managed servers: nothing to say then.
        }
    }

    private static Dictionary<string, string> ParseInfo(string text)
    {
        var info = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            var separator = line.IndexOf(':', StringComparison.Ordinal);
            if (separator > 0 && line[0] != '#')
                info[line[..separator]] = line[(separator + 1)..].Trim();
        }
        return info;
    }

    private static ConfigurationOptions Parse(string configuration)
    {
        ConfigurationOptions options;
        try
        {
            options = ConfigurationOptions.Parse(configuration);
        }
        catch (ArgumentException)
        {
            // The parser's message can quote the option it could not read, which may be the password: say only that it failed.
            throw new ArgumentException(
                "The Redis configuration string cannot be parsed (its text is not shown: it may hold a password). Use the " +
                "StackExchange.Redis format: endpoints and options separated by commas, for example 'localhost:6379,ssl=true'.", nameof(configuration));
        }
        options.AbortOnConnectFail = false;
        options.ClientName ??= "herald";
        return options;
    }

    private static InvalidOperationException Unreachable(string endpoints, Exception exception)
        => new($"Herald.Redis cannot reach the Redis server at {endpoints}: {Sanitize(exception.Message)} Start the server, or fix " +
               "Herald:Redis:Configuration.", exception);

    /// <summary>StackExchange.Redis messages name endpoints and commands; this drops anything after a "password=".</summary>
    internal static string Sanitize(string message)
    {
        var at = message.IndexOf("password=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return message;
        var end = message.IndexOfAny([',', ' ', ';', ')'], at);
        return message[..at] + "password=*****" + (end < 0 ? string.Empty : message[end..]);
    }

    private static string Describe(System.Net.EndPoint endpoint) => endpoint switch
    {
        System.Net.DnsEndPoint dns => $"{dns.Host}:{dns.Port}",
        System.Net.IPEndPoint ip => ip.ToString(),
        _ => endpoint.ToString() ?? "?",
    };
}
