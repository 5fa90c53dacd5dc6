using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Herald.Benchmarks.Durable;
using Herald.Durable;
using Herald.Infrastructure;
using Herald.Redis;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// Appending <see cref="Events"/> durable events to Redis (<c>HERALD_TEST_REDIS</c>, the server eng/servers/redis.sh
/// starts: AOF with <c>appendfsync always</c>), next to raw pipelined <c>XADD</c>s of the same payloads through
/// StackExchange.Redis (<see cref="RawRedisAppender"/>, the baseline), 512 per round trip (the log writer's largest
/// batch) and all 20,000 in one pipeline. Every iteration writes under a new key prefix and deletes its keys
/// afterwards; Mean is per event.
/// </summary>
/// <remarks>
/// <b>RedisEventLog.AppendAsync</b> is Herald's storage layer alone (one append script per batch of 512, envelopes
/// prepared ahead); <b>Persisted, 64 publishers</b>: 64 concurrent tasks each await <c>PublishAsync</c> of their share.
/// Each iteration checks that the streams or the log hold exactly what was written.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(RedisAppendConfig))]
[InvocationCount(1)] // each iteration needs its own new key prefix, prepared by [IterationSetup]
public class RedisAppendBenchmarks
{
    /// <summary>Events written per invocation.</summary>
    public const int Events = 20_000;

    /// <summary>Concurrent publishers of the Persisted benchmark.</summary>
    public const int Publishers = 64;

    private const int Batch = 512;

    private readonly OrderPlaced _marker = DurableAppendBenchmarks.Placed(-1);
    private OrderPlaced[] _placed = [];
    private EventEnvelope[] _envelopes = [];
    private EventEnvelope _warmupEnvelope = null!;
    private RawEnvelope[] _rows = [];
    private RawEnvelope[] _warmupRow = [];
    private ConnectionMultiplexer _connection = null!;
    private long _expected;

    private RawRedisAppender? _raw;
    private RedisEventLog? _log;
    private string _prefix = string.Empty;
    private ServiceProvider? _provider;
    private IEventBus _bus = null!;
    private CommitCounter? _commits;

    [GlobalSetup]
    public void Setup()
    {
        _connection = ConnectionMultiplexer.Connect(BenchmarkServers.Redis);
        _placed = DurableAppendBenchmarks.PlacedOrders(Events);
        var services = new ServiceCollection();
        services.AddHerald();
        using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        _envelopes = Array.ConvertAll(_placed, e => DurableDispatch.Prepare(bus, e));
        _warmupEnvelope = DurableDispatch.Prepare(bus, _marker);
        _rows = Array.ConvertAll(_envelopes, RawEnvelope.From);
        _warmupRow = [RawEnvelope.From(_warmupEnvelope)];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _commits?.Dispose();
        _connection.Dispose();
    }

    [IterationSetup(Targets = [nameof(RawXadd), nameof(RawXadd64), nameof(RawXaddOnePipeline)])]
    public void SetupRaw()
    {
        _raw = new RawRedisAppender(_connection, BenchmarkServers.NewName("bench-raw"));
        _raw.AppendAsync(_warmupRow).GetAwaiter().GetResult();
        _expected = 1 + Events;
    }

    [IterationCleanup(Targets = [nameof(RawXadd), nameof(RawXadd64), nameof(RawXaddOnePipeline)])]
    public void CleanupRaw()
    {
        var stored = _raw!.Count();
        _raw.Delete();
        _raw = null;
        Verify(stored);
    }

    [IterationSetup(Target = nameof(LogAppend))]
    public void SetupLog()
    {
        _prefix = BenchmarkServers.NewName("bench-log") + ":";
        _log = new RedisEventLog(new RedisOptions { Configuration = BenchmarkServers.Redis, KeyPrefix = _prefix });
        _log.Stream.AppendAsync([_warmupEnvelope], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _expected = 1 + Events;
    }

    [IterationCleanup(Target = nameof(LogAppend))]
    public void CleanupLog()
    {
        var bounds = _log!.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        RawRedisAppender.DeletePrefix(_connection, _prefix);
        Verify(bounds.Sum(b => b.Last));
    }

    [IterationSetup(Target = nameof(HeraldPersisted))]
    public void SetupPersisted()
    {
        _prefix = BenchmarkServers.NewName("bench-bus") + ":";
        var services = new ServiceCollection();
        services.AddHerald(o => o.UseRedis(BenchmarkServers.Redis, r => r.KeyPrefix = _prefix));
        _provider = services.BuildServiceProvider();
        _bus = _provider.GetRequiredService<IEventBus>();
        // Opens the log and starts its writer; the publish path is JIT-compiled by the warmup iterations.
        _bus.PublishAsync(_marker).AsTask().GetAwaiter().GetResult();
        _expected = 1 + Events;
        _commits ??= new CommitCounter();
        _commits.Reset();
    }

    [IterationCleanup(Target = nameof(HeraldPersisted))]
    public void CleanupHerald()
    {
        // How large the group commits were (printed in the benchmark's output, next to the iteration).
        Console.WriteLine($"// log writer: {_commits!.Describe()}");
        var provider = _provider!;
        var log = provider.GetRequiredService<DurableLogAdmin>().Log;
        var bounds = log.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        provider.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _provider = null;
        RawRedisAppender.DeletePrefix(_connection, _prefix);
        Verify(bounds.Sum(b => b.Last));
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "raw pipelined XADD, 512 per round trip")]
    public async Task RawXadd()
    {
        for (var start = 0; start < _rows.Length; start += Batch)
            await _raw!.AppendAsync(_rows.AsSpan(start, Math.Min(Batch, _rows.Length - start)));
    }

    /// <summary>
    /// 64 per round trip: as many as the 64 Persisted publishers can have waiting at once, so the raw writes at the
    /// commit size Herald's writer gets from them.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Events, Description = "raw pipelined XADD, 64 per round trip")]
    public async Task RawXadd64()
    {
        for (var start = 0; start < _rows.Length; start += Publishers)
            await _raw!.AppendAsync(_rows.AsSpan(start, Math.Min(Publishers, _rows.Length - start)));
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "raw pipelined XADD, all 20,000 in one pipeline")]
    public Task RawXaddOnePipeline() => _raw!.AppendAsync(_rows);

    [Benchmark(OperationsPerInvoke = Events, Description = "RedisEventLog.AppendAsync, 512/batch (no bus)")]
    public async Task LogAppend()
    {
        for (var start = 0; start < Events; start += Batch)
            await _log!.Stream.AppendAsync(new ArraySegment<EventEnvelope>(_envelopes, start, Math.Min(Batch, Events - start)), CancellationToken.None);
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Herald PublishAsync Persisted, 64 concurrent publishers")]
    public Task HeraldPersisted()
    {
        var publishers = new Task[Publishers];
        for (var p = 0; p < Publishers; p++)
            publishers[p] = PublishShareAsync(p);
        return Task.WhenAll(publishers);
    }

    private async Task PublishShareAsync(int first)
    {
        for (var i = first; i < _placed.Length; i += Publishers)
            await _bus.PublishAsync(_placed[i]);
    }

    private void Verify(long stored)
    {
        if (stored != _expected)
            throw new InvalidOperationException($"The iteration stored {stored} events; it should have stored {_expected}.");
    }

    private sealed class RedisAppendConfig : ManualConfig
    {
        public RedisAppendConfig() => AddColumn(new EventsPerSecondColumn());
    }
}
