using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Herald.Durable;
using Herald.Infrastructure;
using Herald.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Durable;

/// <summary>
/// Appending <see cref="Events"/> durable events to a SQLite file, next to a raw Microsoft.Data.Sqlite batched INSERT of
/// the same rows (the baseline, <see cref="RawSqliteAppender"/>). Every iteration starts from a new database file in a
/// temporary folder, already opened and warmed by one append, so what is timed is the appends alone; Mean is per event.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>SqliteEventLog.AppendAsync</b>: Herald's storage layer alone, in batches of 512 (the log writer's largest),
/// envelopes prepared ahead: what Herald's SQL costs next to the raw INSERT.</item>
/// <item><b>Buffered</b>: one publisher awaits <c>PublishAsync</c> of each event (serialization, envelope, queue), then
/// publishes one Persisted event and awaits it: the writer commits in queue order, so when that one is committed every
/// earlier one is too. Timed from the first publish to the last commit.</item>
/// <item><b>Persisted, 64 publishers</b>: 64 concurrent tasks each await <c>PublishAsync</c> of their share; each
/// completes once its batch is committed (group commit gathers what the publishers queued meanwhile).</item>
/// </list>
/// Each iteration checks that the log holds exactly what was appended.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(DurableAppendConfig))]
[InvocationCount(1)] // each iteration needs its own new database, prepared by [IterationSetup]
public class DurableAppendBenchmarks
{
    /// <summary>Events appended per invocation.</summary>
    public const int Events = 20_000;

    /// <summary>Concurrent publishers of the Persisted benchmark.</summary>
    public const int Publishers = 64;

    private const int LogBatch = 512;

    private readonly OrderPlaced _marker = Placed(-1);
    private OrderPlaced[] _placed = [];
    private OrderNoted[] _noted = [];
    private EventEnvelope[] _envelopes = [];
    private EventEnvelope _warmupEnvelope = null!;
    private RawRow[] _rows = [];
    private RawRow[] _warmupRow = [];
    private string _folder = string.Empty;
    private string _database = string.Empty;
    private int _iteration;
    private long _expected;

    private RawSqliteAppender? _raw;
    private SqliteEventLog? _log;
    private ServiceProvider? _provider;
    private IEventBus _bus = null!;

    [GlobalSetup]
    public void Setup()
    {
        _folder = Directory.CreateTempSubdirectory("herald-durable-bench-").FullName;
        _placed = new OrderPlaced[Events];
        _noted = new OrderNoted[Events];
        for (var i = 0; i < Events; i++)
        {
            _placed[i] = Placed(i);
            _noted[i] = Noted(_placed[i]);
        }

        // The rows the baseline and the storage-only benchmark write are the envelopes Herald itself makes of the events.
        var services = new ServiceCollection();
        services.AddHerald();
        using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        _envelopes = Array.ConvertAll(_placed, e => DurableDispatch.Prepare(bus, e));
        _warmupEnvelope = DurableDispatch.Prepare(bus, _marker);
        _rows = Array.ConvertAll(_envelopes, RawRow.From);
        _warmupRow = [RawRow.From(_warmupEnvelope)];
    }

    [GlobalCleanup]
    public void Cleanup() => Directory.Delete(_folder, recursive: true);

    [IterationSetup(Target = nameof(RawBatchedInsert))]
    public void SetupRaw()
    {
        _raw = new RawSqliteAppender(NextDatabase());
        _raw.Append(_warmupRow);
        _expected = 1 + Events;
    }

    [IterationCleanup(Target = nameof(RawBatchedInsert))]
    public void CleanupRaw()
    {
        var stored = _raw!.Count();
        _raw.Dispose();
        _raw = null;
        DeleteDatabase();
        Verify(stored);
    }

    [IterationSetup(Target = nameof(LogAppend))]
    public void SetupLog()
    {
        _log = new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={NextDatabase()}" });
        _log.Stream.AppendAsync([_warmupEnvelope], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _expected = 1 + Events;
    }

    [IterationCleanup(Target = nameof(LogAppend))]
    public void CleanupLog()
    {
        var bounds = _log!.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        DeleteDatabase();
        Verify(bounds.Sum(b => b.Last));
    }

    [IterationSetup(Target = nameof(HeraldBuffered))]
    public void SetupBuffered()
    {
        StartHerald();
        _expected = 1 + Events + 1; // warmup, the events, the closing Persisted one
    }

    [IterationSetup(Target = nameof(HeraldPersisted))]
    public void SetupPersisted()
    {
        StartHerald();
        _expected = 1 + Events;
    }

    private void StartHerald()
    {
        var database = NextDatabase();
        var services = new ServiceCollection();
        services.AddHerald(o => o.UseSqlite($"Data Source={database}"));
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IEventBus>();
        // Opens the log and starts its writer; the publish path is JIT-compiled by the warmup iterations.
        _bus.PublishAsync(_marker).AsTask().GetAwaiter().GetResult();
    }

    [IterationCleanup(Targets = [nameof(HeraldBuffered), nameof(HeraldPersisted)])]
    public void CleanupHerald()
    {
        var provider = _provider!;
        var log = provider.GetRequiredService<DurableLogAdmin>().Log;
        var bounds = log.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _provider = null;
        DeleteDatabase();
        Verify(bounds.Sum(b => b.Last));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "raw Microsoft.Data.Sqlite INSERT, 512 rows/transaction")]
    public void RawBatchedInsert() => _raw!.Append(_rows);

    [Benchmark(OperationsPerInvoke = Events, Description = "SqliteEventLog.AppendAsync, 512/batch (no bus)")]
    public async Task LogAppend()
    {
        for (var start = 0; start < Events; start += LogBatch)
            await _log!.Stream.AppendAsync(new ArraySegment<EventEnvelope>(_envelopes, start, Math.Min(LogBatch, Events - start)), CancellationToken.None);
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Herald PublishAsync Buffered, 1 publisher, until committed")]
    public async Task HeraldBuffered()
    {
        foreach (var e in _noted)
            await _bus.PublishAsync(e);
        await _bus.PublishAsync(_marker); // Persisted, queued last: committed after every event before it
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Herald PublishAsync Persisted, 64 concurrent publishers")]
    public Task HeraldPersisted() => SampleOrders.PublishConcurrentlyAsync(_bus, _placed, Publishers);

    private string NextDatabase() => _database = Path.Combine(_folder, $"iteration-{_iteration++}.db");

    // Each iteration writes megabytes: remove its files (the database, its WAL and shared-memory files) as it ends.
    private void DeleteDatabase()
    {
        foreach (var file in Directory.EnumerateFiles(_folder, Path.GetFileName(_database) + "*"))
            File.Delete(file);
    }

    private void Verify(long stored)
    {
        if (stored != _expected)
            throw new InvalidOperationException($"The iteration stored {stored} events; it should have stored {_expected}.");
    }

    /// <summary><paramref name="count"/> orders over 100 customers (the server benchmarks write the same events).</summary>
    internal static OrderPlaced[] PlacedOrders(int count) => SampleOrders.Many(count);

    internal static OrderPlaced Placed(int i) => SampleOrders.One(i);

    private static OrderNoted Noted(OrderPlaced order) => new(order.OrderId, order.Customer, order.Quantity, order.Amount, order.PlacedAt);

    private sealed class DurableAppendConfig : ManualConfig
    {
        public DurableAppendConfig() => AddColumn(new EventsPerSecondColumn());
    }
}
