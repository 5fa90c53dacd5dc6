using StackExchange.Redis;

namespace Herald.Redis.Tests.Support;

/// <summary>
/// The Redis server the tests share: the one whose StackExchange.Redis configuration is in <c>HERALD_TEST_REDIS</c>
/// (eng/test.sh starts it with eng/servers/redis.sh). Without it every test fails with a message that says how to
/// start one; none is skipped. Each log gets a key prefix of its own, so tests share the server without seeing each
/// other's keys.
/// </summary>
public static class TestRedis
{
    public const string Variable = "HERALD_TEST_REDIS";

    /// <summary>The configuration string of the shared server.</summary>
    public static string Configuration => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            $"{Variable} is not set: the Redis tests need a redis-server. Run them with eng/test.sh (it starts one), or start one " +
            $"by hand with 'eng/servers/redis.sh start /tmp/redis' and export the lines it prints (export $(eng/servers/redis.sh start /tmp/redis | grep ^HERALD_TEST_)).");

    /// <summary>A key prefix no other log of the run uses.</summary>
    public static string NewPrefix(string purpose = "test") => $"herald-test:{purpose}:{Guid.NewGuid():N}:";

    /// <summary>Opens a log on the shared server under a new prefix (one partition unless <paramref name="configure"/> says otherwise).</summary>
    public static RedisEventLog Open(Action<RedisOptions>? configure = null, string? configuration = null)
    {
        var options = new RedisOptions { Configuration = configuration ?? Configuration, KeyPrefix = NewPrefix(), Partitions = 1 };
        configure?.Invoke(options);
        return new RedisEventLog(options);
    }

    /// <summary>Removes every key that starts with <paramref name="prefix"/> (SCAN, then DEL in pages).</summary>
    public static async Task DeleteKeysAsync(string prefix, string? configuration = null)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration ?? Configuration);
        var server = connection.GetServers()[0];
        var database = connection.GetDatabase();
        var batch = new List<RedisKey>(500);
        await foreach (var key in server.KeysAsync(pattern: prefix + "*", pageSize: 500))
        {
            batch.Add(key);
            if (batch.Count == 500)
            {
                await database.KeyDeleteAsync([.. batch]);
                batch.Clear();
            }
        }
        if (batch.Count > 0)
            await database.KeyDeleteAsync([.. batch]);
    }
}
