using Herald.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald;

/// <summary>Selects the Redis Streams durable log (<see cref="RedisEventLog"/>).</summary>
public static class RedisHeraldOptionsExtensions
{
    /// <summary>
    /// Keeps durable events in Redis Streams on the server that <paramref name="configuration"/> names, under the key
    /// prefix <c>herald:</c> unless <paramref name="configure"/> sets another. Events that cannot be appended go to
    /// <c>dead-letters.jsonl</c> in the current directory unless <see cref="HeraldOptions.DeadLetterFile"/> is set. The
    /// options are checked here; the server is connected to when the app first uses the durable log.
    /// </summary>
    /// <param name="options">Herald's options.</param>
    /// <param name="configuration">A StackExchange.Redis configuration string, for example <c>localhost:6379</c>.</param>
    /// <param name="configure">Changes the Redis settings (key prefix, replicas to wait for, retention); may be null.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentException">The configuration or a setting cannot be used; the message says why.</exception>
    public static HeraldOptions UseRedis(this HeraldOptions options, string configuration, Action<RedisOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var redis = new RedisOptions { Configuration = configuration };
        configure?.Invoke(redis);
        var settings = redis.Clone();
        settings.Validate(nameof(configuration));
        return options.UseLog(RedisEventLog.TransportName, services =>
        {
            var opened = settings.Clone();
            opened.Partitions ??= options.Partitions;
            return new RedisEventLog(opened, services.GetService<ILoggerFactory>());
        });
    }
}
