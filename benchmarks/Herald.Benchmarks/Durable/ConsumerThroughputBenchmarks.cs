using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Herald.Durable;
using Herald.Infrastructure;
using Herald.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// A durable consumer catching up on <see cref="Events"/> events already in a SQLite log, end to end with a no-op
/// handler, in one process, with 1 and 8 partitions: Herald's consumers (group membership and leases, a read per
/// partition and batch, the inbox lookup, deserialization, a DI scope per delivery, a commit of the marks and the
/// offset per batch), next to a raw loop over the same file that reads the same rows the same way (by partition and
/// type, 256 at a time) and writes an offset row per batch (the baseline). Each iteration starts from a fresh copy of a
/// log prepared once; Mean is per event.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[InvocationCount(1)]
public class ConsumerThroughputBenchmarks
{
    /// <summary>Events in the log (scaled down by HERALD_BENCH_SCALE for a dry run).</summary>
    public static readonly int Events = BenchmarkScale.Of(100_000);

    private const int BatchSize = 256;

    private string _folder = string.Empty;
    private string _template = string.Empty;
    private string _database = string.Empty;
    private ServiceProvider? _provider;
    private DeliveryCounter _counter = null!;

    [Params(1, 8)]
    public int Partitions { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("herald-consumer-bench-").FullName;
        _template = Path.Combine(_folder, "template.db");
        var services = new ServiceCollection();
        services.AddHerald();
        using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        var envelopes = Enumerable.Range(0, Events).Select(i => DurableDispatch.Prepare(bus, new MeterRead($"meter-{i % 1000}", i, i * 0.5))).ToArray();
        LogFiles.Write(_template, Partitions, envelopes);
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [IterationSetup]
    public void CopyLog() => _database = LogFiles.Copy(_template, _folder);

    [IterationCleanup]
    public void DeleteLog()
    {
        _provider?.Dispose();
        _provider = null;
        LogFiles.Delete(_database);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 100_000, Description = "raw loop: read 256 rows per partition, write an offset row per batch")]
    public void RawReadLoop()
    {
        using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
        connection.Open();
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT position, id, type, version, occurred_at, partition_key, headers, payload FROM herald_events " +
                           "WHERE partition = $partition AND type = 'bench.meter-read' AND position > $after ORDER BY position LIMIT 256";
        var partition = read.Parameters.Add("$partition", SqliteType.Integer);
        var after = read.Parameters.Add("$after", SqliteType.Integer);
        using var offset = connection.CreateCommand();
        offset.CommandText = "INSERT INTO herald_consumer_offsets (consumer, partition, position, updated_at) VALUES ('raw', $partition, $position, 0) " +
                             "ON CONFLICT (consumer, partition) DO UPDATE SET position = excluded.position";
        var offsetPartition = offset.Parameters.Add("$partition", SqliteType.Integer);
        var offsetPosition = offset.Parameters.Add("$position", SqliteType.Integer);
        var seen = 0;
        for (var p = 0; p < Partitions; p++)
        {
            var last = 0L;
            while (true)
            {
                partition.Value = p;
                after.Value = last;
                var rows = 0;
                using (var reader = read.ExecuteReader())
                {
                    while (reader.Read())
                    {
                        last = reader.GetInt64(0);
                        _ = reader.GetFieldValue<byte[]>(1);
                        _ = reader.GetString(2);
                        _ = reader.GetInt32(3);
                        _ = reader.GetInt64(4);
                        _ = reader.IsDBNull(5) ? null : reader.GetString(5);
                        _ = reader.IsDBNull(6) ? null : reader.GetString(6);
                        _ = reader.GetFieldValue<byte[]>(7);
                        rows++;
                    }
                }
                if (rows == 0)
                    break;
                seen += rows;
                offsetPartition.Value = p;
                offsetPosition.Value = last;
                offset.ExecuteNonQuery();
            }
        }
        if (seen != Events)
            throw new InvalidOperationException($"The raw loop read {seen} of {Events} events.");
    }

    [Benchmark(OperationsPerInvoke = 100_000, Description = "Herald durable consumer, no-op handler")]
    public async Task HeraldConsumer()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_counter = new DeliveryCounter());
        services.AddHerald(o =>
        {
            o.UseSqlite($"Data Source={_database}");
            o.Consumer("bench-throughput", c => c.BatchSize = BatchSize);
        });
        _provider = services.BuildServiceProvider();
        _counter.Expect(Events);
        var consumers = _provider.GetRequiredService<DurableConsumers>();
        await consumers.StartAsync(CancellationToken.None);
        await _counter.Done.WaitAsync(TimeSpan.FromMinutes(5));
        await consumers.StopAsync(CancellationToken.None);
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new EventsPerSecondColumn());
    }
}
