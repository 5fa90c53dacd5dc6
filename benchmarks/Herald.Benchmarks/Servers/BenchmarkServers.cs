namespace Herald.Benchmarks.Servers;

/// <summary>
/// The servers the PostgreSQL and Redis benchmarks talk to, named by the variables the tests read
/// (<c>eng/servers/postgres.sh start &lt;folder&gt;</c> and <c>eng/servers/redis.sh start &lt;folder&gt;</c> print them).
/// Without one, a benchmark fails at its setup and says how to start the server.
/// </summary>
internal static class BenchmarkServers
{
    public const string PostgresVariable = "HERALD_TEST_POSTGRES";

    public const string RedisVariable = "HERALD_TEST_REDIS";

    /// <summary>An Npgsql connection string.</summary>
    public static string Postgres => Read(PostgresVariable, "postgres");

    /// <summary>A StackExchange.Redis configuration string.</summary>
    public static string Redis => Read(RedisVariable, "redis");

    /// <summary>A schema or key prefix no other run uses: <paramref name="prefix"/>_ and 12 hex digits.</summary>
    public static string NewName(string prefix) => $"{prefix}_{Guid.NewGuid().ToString("N")[..12]}";

    private static string Read(string variable, string script)
        => Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set, so this benchmark has no server. Start one with eng/servers/{script}.sh start /tmp/bench-{script} " +
                $"and export the {variable}=... line it prints (eng/servers/{script}.sh stop /tmp/bench-{script} stops it).");
}
