using Npgsql;
using StackExchange.Redis;

namespace Herald.Cli.Tests.Support;

/// <summary>
/// The PostgreSQL and Redis servers of the run: <c>HERALD_TEST_POSTGRES</c> and <c>HERALD_TEST_REDIS</c>, which
/// eng/test.sh exports (eng/servers/*.sh start them). Without one a test fails and says how to start it; none is skipped.
/// Each log gets a schema or key prefix of its own, removed when the test ends.
/// </summary>
public static class Servers
{
    public static string Postgres => Variable("HERALD_TEST_POSTGRES", "postgres");

    public static string Redis => Variable("HERALD_TEST_REDIS", "redis");

    /// <summary>A schema no other test uses.</summary>
    public static string NewSchema() => $"cli_{Guid.NewGuid():N}";

    /// <summary>A key prefix no other test uses.</summary>
    public static string NewPrefix() => $"herald-cli:{Guid.NewGuid():N}:";

    public static async Task<object?> PostgresScalarAsync(string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    public static async Task DropSchemaAsync(string schema)
    {
        // The name is ours (cli_ and hex digits): safe to quote as it is.
        await PostgresScalarAsync($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE");
    }

    /// <summary>The keys that start with <paramref name="prefix"/>.</summary>
    public static async Task<IReadOnlyList<string>> RedisKeysAsync(string prefix)
    {
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Redis);
        var keys = new List<string>();
        await foreach (var key in connection.GetServers()[0].KeysAsync(pattern: prefix + "*", pageSize: 500))
            keys.Add(key.ToString());
        return keys;
    }

    public static async Task DeleteRedisKeysAsync(string prefix)
    {
        var keys = await RedisKeysAsync(prefix);
        if (keys.Count == 0)
            return;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(Redis);
        await connection.GetDatabase().KeyDeleteAsync([.. keys.Select(k => (RedisKey)k)]);
    }

    private static string Variable(string name, string script)
        => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{name} is not set, so the herald tests on {script} have no server. Run the tests with eng/test.sh (it starts one), or start one " +
                $"by hand: eng/servers/{script}.sh start /tmp/{script}, then export the {name}=... line it prints.");
}
