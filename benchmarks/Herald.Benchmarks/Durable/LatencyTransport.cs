using Herald.Benchmarks.Servers;
using Herald.Postgres;
using Herald.Redis;
using Npgsql;
using StackExchange.Redis;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// Where the latency run's log lives and what its baseline writes to: a SQLite file in the run's temporary folder,
/// or a new schema (PostgreSQL) or key prefix (Redis) on a server, removed at the end of the run.
/// </summary>
internal sealed class LatencyTransport
{
    private readonly Action<HeraldOptions> _use;
    private readonly Func<int, RawLatencyStore> _baseline;
    private readonly Action _remove;

    private LatencyTransport(string description, Action<HeraldOptions> use, Func<int, RawLatencyStore> baseline, Action remove)
    {
        Description = description;
        _use = use;
        _baseline = baseline;
        _remove = remove;
    }

    /// <summary>For the run's first line, for example <c>PostgreSQL 127.0.0.1:54329, schema bench_latency_...</c>.</summary>
    public string Description { get; }

    public static LatencyTransport Sqlite(string folder) => new(
        "SQLite file in a temporary folder",
        o => o.UseSqlite($"Data Source={Path.Combine(folder, "latency.db")}"),
        partitions => new SqliteLatencyStore(Path.Combine(folder, "raw.db"), partitions),
        () => { });

    public static LatencyTransport Postgres(string connectionString)
    {
        var schema = BenchmarkServers.NewName("bench_latency");
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        return new LatencyTransport(
            $"PostgreSQL {server.Host}:{server.Port}, schema {schema}",
            o => o.UsePostgres(connectionString, p => p.Schema = schema),
            partitions => new PostgresLatencyStore(connectionString, partitions),
            () =>
            {
                using var connection = new NpgsqlConnection(connectionString);
                connection.Open();
                using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
                drop.ExecuteNonQuery();
            });
    }

    public static LatencyTransport Redis(string configuration)
    {
        var prefix = BenchmarkServers.NewName("bench-latency") + ":";
        return new LatencyTransport(
            $"Redis {ConfigurationOptions.Parse(configuration).EndPoints.FirstOrDefault()}, key prefix {prefix}",
            o => o.UseRedis(configuration, r => r.KeyPrefix = prefix),
            partitions => new RedisLatencyStore(configuration, partitions),
            () =>
            {
                using var connection = ConnectionMultiplexer.Connect(configuration);
                RawRedisAppender.DeletePrefix(connection, prefix);
            });
    }

    /// <summary>Points Herald's log at this store.</summary>
    public void Use(HeraldOptions options) => _use(options);

    /// <summary>A new raw store for the baseline.</summary>
    public RawLatencyStore CreateBaseline(int partitions) => _baseline(partitions);

    /// <summary>Removes what the run wrote on a server (nothing for SQLite: the folder goes).</summary>
    public void Remove() => _remove();
}
