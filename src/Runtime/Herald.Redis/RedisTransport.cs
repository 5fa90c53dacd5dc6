using Herald.Durable;
using Herald.Redis;
using Microsoft.Extensions.Configuration;

[assembly: HeraldTransport(typeof(RedisTransport))]

namespace Herald.Redis;

/// <summary>
/// Selects the Redis log from configuration: <c>Herald:Transport = Redis</c>, with the section <c>Herald:Redis</c>:
/// <c>Configuration</c> (required, a StackExchange.Redis configuration string such as <c>localhost:6379</c>),
/// <c>KeyPrefix</c> (default <c>herald:</c>), <c>WaitForReplicas</c>, <c>ReplicaTimeoutMs</c> and
/// <c>RetentionWaitsForConsumers</c>. Read without reflection (AOT-safe).
/// </summary>
public sealed class RedisTransport : IHeraldTransport
{
    /// <inheritdoc />
    public static string Name => RedisEventLog.TransportName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A key is missing or has a value that cannot be used; the message names it (and never quotes the configuration string).</exception>
    public static void Configure(HeraldOptions options, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        var configuration = section["Configuration"];
        if (string.IsNullOrWhiteSpace(configuration))
            throw new InvalidOperationException(
                "Herald:Transport is 'Redis', but Herald:Redis:Configuration is missing. Set it to the server, for example in " +
                "appsettings.json: \"Herald\": { \"Transport\": \"Redis\", \"Redis\": { \"Configuration\": \"localhost:6379\" } }, or in the " +
                "environment: Herald__Redis__Configuration=localhost:6379.");
        var prefix = section["KeyPrefix"];
        int? replicas = null;
        if (section["WaitForReplicas"] is { } replicasText)
            replicas = int.TryParse(replicasText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
                ? count
                : throw Invalid("WaitForReplicas", replicasText, "a whole number of replicas, 0 or more");
        TimeSpan? timeout = null;
        if (section["ReplicaTimeoutMs"] is { } timeoutText)
            timeout = int.TryParse(timeoutText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var milliseconds) && milliseconds > 0
                ? TimeSpan.FromMilliseconds(milliseconds)
                : throw Invalid("ReplicaTimeoutMs", timeoutText, "a positive whole number of milliseconds");
        bool? waits = null;
        if (section["RetentionWaitsForConsumers"] is { } waitsText)
            waits = bool.TryParse(waitsText, out var parsed) ? parsed : throw Invalid("RetentionWaitsForConsumers", waitsText, "true or false");

        try
        {
            options.UseRedis(configuration, redis =>
            {
                if (prefix is not null)
                    redis.KeyPrefix = prefix;
                if (replicas is { } value)
                    redis.WaitForReplicas = value;
                if (timeout is { } wait)
                    redis.ReplicaTimeout = wait;
                if (waits is { } keep)
                    redis.RetentionWaitsForConsumers = keep;
            });
        }
        catch (ArgumentException exception)
        {
            var key = prefix is not null && exception.Message.Contains("key prefix", StringComparison.Ordinal) ? "KeyPrefix" : "Configuration";
            throw new InvalidOperationException($"Herald:Redis:{key} cannot be used. {exception.Message}", exception);
        }
    }

    private static InvalidOperationException Invalid(string key, string value, string expected)
        => new($"Herald:Redis:{key} is '{value}'; expected {expected}.");
}
