using Herald.Benchmarks.Durable;
using Herald.Durable;
using Herald.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// What <see cref="PostgresAppendBenchmarks"/> and <see cref="RedisAppendBenchmarks"/> share: the same
/// <see cref="Events"/> orders, prepared once as Herald's envelopes and as raw rows; the 64-publisher
/// <c>Persisted</c> run on a bus of its own per iteration (started, warmed by one publish, measured, disposed); and the
/// check that an iteration stored exactly what it wrote. The derived classes hold the benchmarks, their setups and
/// their store's own clean-up.
/// </summary>
public abstract class ServerAppendBenchmarks
{
    /// <summary>Events written per invocation.</summary>
    public const int Events = 20_000;

    /// <summary>Concurrent publishers of the Persisted benchmark.</summary>
    public const int Publishers = 64;

    /// <summary>The log writer's largest batch: the baselines' rows per transaction or round trip.</summary>
    protected const int Batch = 512;

    private readonly OrderPlaced _marker = DurableAppendBenchmarks.Placed(-1);
    private OrderPlaced[] _placed = [];
    private ServiceProvider? _provider;
    private IEventBus _bus = null!;
    private CommitCounter? _commits;
    private long _expected;

    /// <summary>The orders as Herald's envelopes (for the storage-alone rows).</summary>
    protected EventEnvelope[] Envelopes { get; private set; } = [];

    /// <summary>The warm-up order's envelope, appended before an iteration measures.</summary>
    protected EventEnvelope WarmupEnvelope { get; private set; } = null!;

    /// <summary>The orders as the baselines' rows.</summary>
    private protected RawEnvelope[] Rows { get; private set; } = [];

    /// <summary>The warm-up order as a baseline row.</summary>
    private protected RawEnvelope[] WarmupRow { get; private set; } = [];

    /// <summary>Prepares the orders, their envelopes and their rows (from the derived class's global setup).</summary>
    protected void PrepareEvents()
    {
        _placed = DurableAppendBenchmarks.PlacedOrders(Events);
        var services = new ServiceCollection();
        services.AddHerald();
        using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        Envelopes = Array.ConvertAll(_placed, e => DurableDispatch.Prepare(bus, e));
        WarmupEnvelope = DurableDispatch.Prepare(bus, _marker);
        Rows = Array.ConvertAll(Envelopes, RawEnvelope.From);
        WarmupRow = [RawEnvelope.From(WarmupEnvelope)];
    }

    /// <summary>An iteration that stores the warm-up event and then the <see cref="Events"/> ones.</summary>
    protected void ExpectWarmupAndEvents() => _expected = 1 + Events;

    /// <summary>Starts the bus of a Persisted iteration on the log <paramref name="configure"/> names, and warms it.</summary>
    protected void StartBus(Action<HeraldOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddHerald(configure);
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IEventBus>();
        // Opens the log (creating it) and starts its writer; the publish path is JIT-compiled by the warmup iterations.
        _bus.PublishAsync(_marker).AsTask().GetAwaiter().GetResult();
        ExpectWarmupAndEvents();
        _commits ??= new CommitCounter();
        _commits.Reset();
    }

    /// <summary>
    /// Ends a Persisted iteration: prints the log writer's commit sizes (next to the iteration in the output), disposes
    /// the bus, lets <paramref name="deleteStore"/> remove what it wrote, and checks how much was stored.
    /// </summary>
    protected void StopBus(Action deleteStore)
    {
        Console.WriteLine($"// log writer: {_commits!.Describe()}");
        var provider = _provider!;
        var log = provider.GetRequiredService<DurableLogAdmin>().Log;
        var bounds = log.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _provider = null;
        deleteStore();
        Verify(bounds.Sum(b => b.Last));
    }

    /// <summary>The Persisted run: <see cref="Publishers"/> tasks that each await the publish of their share.</summary>
    protected Task PublishAllAsync() => SampleOrders.PublishConcurrentlyAsync(_bus, _placed, Publishers);

    /// <summary>Throws unless the iteration stored what it should have.</summary>
    protected void Verify(long stored)
    {
        if (stored != _expected)
            throw new InvalidOperationException($"The iteration stored {stored} events; it should have stored {_expected}.");
    }

    /// <summary>Disposes the commit counter (from the derived class's global clean-up).</summary>
    protected void DisposeCounter() => _commits?.Dispose();
}
