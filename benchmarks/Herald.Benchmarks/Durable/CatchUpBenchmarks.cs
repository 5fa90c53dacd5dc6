using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Herald.Durable;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// One consumer catching up on its <see cref="OwnEvents"/> events: in a log that holds only them (the baseline), and in
/// a log of ten times as many events of ten types, its own being one in ten, interleaved (ten consumers, one type
/// each, is what such a log serves). A consumer reads only its own types, so the big log should cost it about what the
/// small one does. 8 partitions, SQLite; Mean is per own event. Each iteration starts from a fresh copy of the log.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(Config))]
[InvocationCount(1)]
public class CatchUpBenchmarks
{
    /// <summary>The consumer's own events (scaled down by HERALD_BENCH_SCALE for a dry run).</summary>
    public static readonly int OwnEvents = BenchmarkScale.Of(100_000);

    private const int Types = 10;

    private string _folder = string.Empty;
    private string _template = string.Empty;
    private string _database = string.Empty;
    private ServiceProvider? _provider;
    private DeliveryCounter _counter = null!;

    [Params("own events only", "ten types, 1 in 10 its own")]
    public string Log { get; set; } = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("herald-catch-up-bench-").FullName;
        _template = Path.Combine(_folder, "template.db");
        var services = new ServiceCollection();
        services.AddHerald();
        using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        var mixed = Log != "own events only";
        var envelopes = new List<EventEnvelope>(mixed ? OwnEvents * Types : OwnEvents);
        for (var i = 0; i < OwnEvents; i++)
        {
            var own = DurableDispatch.Prepare(bus, new Type0Noted($"key-{i % 500}", i));
            envelopes.Add(own);
            if (!mixed)
                continue;
            for (var type = 1; type < Types; type++)
            {
                // Another consumer's event of the same size, on the same keys.
                envelopes.Add(new EventEnvelope(Guid.CreateVersion7(), $"bench.type-{type}", 1, own.OccurredAt, own.PartitionKey, null, own.Payload));
            }
        }
        LogFiles.Write(_template, 8, envelopes);
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

    [Benchmark(OperationsPerInvoke = 100_000, Description = "consumer of one type catches up")]
    public async Task CatchUp()
    {
        var services = new ServiceCollection();
        services.AddSingleton(_counter = new DeliveryCounter());
        services.AddHerald(o => o.UseSqlite($"Data Source={_database}"));
        _provider = services.BuildServiceProvider();
        _counter.Expect(OwnEvents);
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
