using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Herald.Benchmarks.Durable;
using Herald.Benchmarks.Servers;
using Herald.Durable;
using Herald.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Wolverine;

namespace Herald.Benchmarks.Wolverine;

/// <summary>
/// Herald next to Wolverine 6.62.0's PostgreSQL-backed durable messaging on the same server (<c>HERALD_TEST_POSTGRES</c>)
/// with the same <see cref="OrderPlaced"/> records (<see cref="SampleOrders"/>, about 150 bytes of JSON each), 64
/// concurrent publishers that each await the publish of their share of <see cref="Events"/>, as
/// <c>PostgresAppendBenchmarks.HeraldPersisted</c> in Herald.Benchmarks does. Every iteration runs in a new schema,
/// created and warmed in its setup and dropped afterwards; Mean is per event. Two groups, each with Herald as its
/// baseline, so a Wolverine row's Ratio is how many times Herald's throughput is Wolverine's:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>persisted on ack</b>: the time until every publisher's awaits have returned. Herald's <c>PublishAsync</c> of
/// a <see cref="Durability.Persisted"/> event returns once the log writer's commit that holds it has committed (group
/// commit: one transaction for what the publishers queued meanwhile). Wolverine's <c>IMessageBus.PublishAsync</c> to a
/// durable local queue, outside a handler and without an outbox transaction, returns once the envelope's own INSERT
/// into <c>wolverine_incoming_envelopes</c> has committed (one statement per message, auto-commit) and the envelope
/// has been posted to the local queue's in-memory block (<c>DurableLocalQueue.StoreAndForwardAsync</c> awaits
/// <c>IMessageInbox.StoreIncomingAsync</c>, then <c>DurableReceiver.EnqueueAsync</c>). Both mean: stored in
/// PostgreSQL when acknowledged. Wolverine's handler runs meanwhile (its local queue pushes what it stored to the handler
/// at once, and the publish waits when that block is full), so its row includes handling; Herald's row has no consumer.
/// The end-to-end group has both sides handle. The third row pauses Wolverine's listener, so its publish is the
/// INSERT alone (no hand-off, no handler): Wolverine's storage at its fastest.</item>
/// <item><b>end to end</b>: publish all, then wait until the handler has seen every one: Herald's durable consumer
/// (<see cref="HeraldOrderSubscriber"/>: reads the log by partition, commits its offsets) and Wolverine's handler
/// (<see cref="WolverineOrderHandler"/>: each envelope marked handled in the inbox table; 64 handlers at once,
/// <see cref="WolverineHost.MaximumParallelMessages"/>, where Wolverine's default is 5).</item>
/// </list>
/// Each iteration checks from the database that exactly what was published was stored (Herald: the log's positions;
/// Wolverine: the inbox table's rows), and for the end-to-end rows that all of it was handled (Herald: the consumer's
/// lag, from its committed offsets, is 0; Wolverine: every row is marked handled), next to the handlers' own count.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(Config))]
[InvocationCount(1)] // each iteration needs its own new schema and host, prepared by [IterationSetup]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class WolverineComparisonBenchmarks
{
    /// <summary>Concurrent publishers, as in PostgresAppendBenchmarks.</summary>
    public const int Publishers = 64;

    /// <summary>Events published per invocation, as in PostgresAppendBenchmarks.</summary>
    public const int Events = 20_000;

    private const string Ack = "persisted on ack";
    private const string EndToEnd = "end to end";

    private static readonly TimeSpan HandlingTimeout = TimeSpan.FromMinutes(5);

    private readonly OrderPlaced _marker = SampleOrders.One(-1);
    private readonly HandledCounter _counter = new();
    private OrderPlaced[] _placed = [];
    private NpgsqlDataSource _dataSource = null!;
    private string _schema = string.Empty;

    private ServiceProvider? _provider;
    private IEventBus _bus = null!;
    private DurableConsumers? _consumers;
    private CommitCounter? _commits;

    private WolverineHost? _wolverine;
    private IMessageBus[] _buses = [];

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(BenchmarkServers.Postgres);
        _placed = SampleOrders.Many(Events);
        _commits = new CommitCounter();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _commits?.Dispose();
        _dataSource.Dispose();
    }

    // ---- Herald ------------------------------------------------------------------------------------------------

    [IterationSetup(Target = nameof(HeraldPersisted))]
    public void SetupHeraldPersisted() => StartHerald(withConsumer: false);

    [IterationSetup(Target = nameof(HeraldEndToEnd))]
    public void SetupHeraldEndToEnd() => StartHerald(withConsumer: true);

    private void StartHerald(bool withConsumer)
    {
        _schema = BenchmarkServers.NewName("bench_wolv_herald");
        var services = new ServiceCollection();
        services.AddSingleton(_counter);
        services.AddHerald(o =>
        {
            o.UsePostgres(BenchmarkServers.Postgres, p => p.Schema = _schema);
            if (withConsumer)
                o.Consumer(HeraldOrderSubscriber.Consumer, _ => { });
        });
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IEventBus>();
        // Opens the log (creates the schema) and starts its writer, as PostgresAppendBenchmarks does.
        _bus.PublishAsync(_marker).AsTask().GetAwaiter().GetResult();
        if (withConsumer)
        {
            // The consumer joins, takes its partitions' leases and delivers the marker before the measurement starts.
            _counter.Expect(1);
            _consumers = _provider.GetRequiredService<DurableConsumers>();
            _consumers.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
            _counter.WaitAsync("Herald (warmup)", HandlingTimeout).GetAwaiter().GetResult();
        }
        _counter.Expect(Events);
        _commits!.Reset();
    }

    [IterationCleanup(Targets = [nameof(HeraldPersisted), nameof(HeraldEndToEnd)])]
    public void CleanupHerald()
    {
        var provider = _provider!;
        var handled = _consumers is not null;
        if (_consumers is not null)
        {
            _consumers.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
            _consumers = null;
        }
        var admin = provider.GetRequiredService<DurableLogAdmin>();
        var bounds = admin.Log.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        var lag = handled ? admin.GetLagAsync(HeraldOrderSubscriber.Consumer).AsTask().GetAwaiter().GetResult() : -1;
        provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _provider = null;
        DropSchema();
        var stored = bounds.Sum(b => b.Last);
        Console.WriteLine($"// herald: {stored} stored, log writer: {_commits!.Describe()}" + (handled ? $", {_counter.Count} handled, consumer lag {lag}" : ""));
        Verify("Herald", "stored", stored, 1 + Events);
        if (handled)
        {
            Verify("Herald", "handled by the consumer (after the marker)", _counter.Count, Events);
            Verify("Herald", "left unhandled (the consumer's lag from its committed offsets)", lag, 0);
        }
    }

    [BenchmarkCategory(Ack)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "Herald PublishAsync Persisted, 64 publishers")]
    public Task HeraldPersisted() => HeraldPublishAllAsync();

    [BenchmarkCategory(EndToEnd)]
    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "Herald publish, until the durable consumer handled all")]
    public async Task HeraldEndToEnd()
    {
        await HeraldPublishAllAsync();
        await _counter.WaitAsync("Herald", HandlingTimeout);
    }

    private Task HeraldPublishAllAsync() => SampleOrders.PublishConcurrentlyAsync(_bus, _placed, Publishers);

    // ---- Wolverine ---------------------------------------------------------------------------------------------

    [IterationSetup(Targets = [nameof(WolverinePersisted), nameof(WolverineEndToEnd)])]
    public void SetupWolverine() => StartWolverine();

    [IterationSetup(Target = nameof(WolverineStoreOnly))]
    public void SetupWolverinePaused()
    {
        StartWolverine();
        _wolverine!.PauseListenerAsync().GetAwaiter().GetResult();
    }

    private void StartWolverine()
    {
        _schema = BenchmarkServers.NewName("bench_wolv_wolverine");
        _wolverine = WolverineHost.StartAsync(BenchmarkServers.Postgres, _schema, _counter).GetAwaiter().GetResult();
        _buses = new IMessageBus[Publishers];
        for (var p = 0; p < Publishers; p++)
            _buses[p] = _wolverine.NewBus();
        // One message through the whole path first: Wolverine compiles the handler's adaptor on first use.
        _counter.Expect(1);
        _buses[0].PublishAsync(_marker).AsTask().GetAwaiter().GetResult();
        _counter.WaitAsync("Wolverine (warmup)", HandlingTimeout).GetAwaiter().GetResult();
        _counter.Expect(Events);
    }

    [IterationCleanup(Targets = [nameof(WolverinePersisted), nameof(WolverineEndToEnd)])]
    public void CleanupWolverine()
    {
        var wolverine = _wolverine!;
        // Right after the measurement: every acknowledged envelope is in the inbox table.
        var acknowledged = wolverine.CountAsync().GetAwaiter().GetResult();
        // Let the handler finish what the ack rows left it (the host's stop drains its queue), then count again.
        _counter.WaitAsync("Wolverine", HandlingTimeout).GetAwaiter().GetResult();
        wolverine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _wolverine = null;
        var final = wolverine.CountAsync().GetAwaiter().GetResult();
        DropSchema();
        Console.WriteLine($"// wolverine: at the last ack {acknowledged}; after stopping {final}; {_counter.Count} handled");
        Verify("Wolverine", "stored when the last publish returned", acknowledged.Stored, 1 + Events);
        Verify("Wolverine", "handled by the handler (after the marker)", _counter.Count, Events);
        Verify("Wolverine", "marked handled in the inbox table", final.Handled, 1 + Events);
    }

    [IterationCleanup(Target = nameof(WolverineStoreOnly))]
    public void CleanupWolverinePaused()
    {
        var wolverine = _wolverine!;
        var acknowledged = wolverine.CountAsync().GetAwaiter().GetResult();
        wolverine.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _wolverine = null;
        DropSchema();
        Console.WriteLine($"// wolverine, listener paused: at the last ack {acknowledged}; {_counter.Count} handled");
        Verify("Wolverine (paused)", "stored when the last publish returned", acknowledged.Stored, 1 + Events);
        // The marker was handled before the pause; nothing published while paused reached the handler.
        Verify("Wolverine (paused)", "handled while the listener was paused", _counter.Count, 0);
    }

    [BenchmarkCategory(Ack)]
    [Benchmark(OperationsPerInvoke = Events, Description = "Wolverine PublishAsync, durable local queue, 64 publishers")]
    public Task WolverinePersisted() => WolverinePublishAllAsync();

    [BenchmarkCategory(Ack)]
    [Benchmark(OperationsPerInvoke = Events, Description = "Wolverine PublishAsync, the same with its listener paused (the INSERT alone)")]
    public Task WolverineStoreOnly() => WolverinePublishAllAsync();

    [BenchmarkCategory(EndToEnd)]
    [Benchmark(OperationsPerInvoke = Events, Description = "Wolverine publish, until the handler handled all")]
    public async Task WolverineEndToEnd()
    {
        await WolverinePublishAllAsync();
        await _counter.WaitAsync("Wolverine", HandlingTimeout);
    }

    private Task WolverinePublishAllAsync()
    {
        var publishers = new Task[Publishers];
        for (var p = 0; p < Publishers; p++)
            publishers[p] = WolverinePublishShareAsync(p);
        return Task.WhenAll(publishers);
    }

    private async Task WolverinePublishShareAsync(int first)
    {
        var bus = _buses[first];
        for (var i = first; i < _placed.Length; i += Publishers)
            await bus.PublishAsync(_placed[i]);
    }

    // ---- Both --------------------------------------------------------------------------------------------------

    private void DropSchema()
    {
        using var connection = _dataSource.OpenConnection();
        using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        drop.ExecuteNonQuery();
    }

    private static void Verify(string side, string what, long actual, long expected)
    {
        if (actual != expected)
            throw new InvalidOperationException($"{side}: {actual} events {what}; there should be {expected}.");
    }

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(new EventsPerSecondColumn());
    }
}
