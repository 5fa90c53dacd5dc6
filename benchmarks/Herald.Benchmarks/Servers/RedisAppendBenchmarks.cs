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
public class RedisAppendBenchmarks : ServerAppendBenchmarks
{
    private ConnectionMultiplexer _connection = null!;

    private RawRedisAppender? _raw;
    private RedisEventLog? _log;
    private string _prefix = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _connection = ConnectionMultiplexer.Connect(BenchmarkServers.Redis);
        PrepareEvents();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        DisposeCounter();
        _connection.Dispose();
    }

    [IterationSetup(Targets = [nameof(RawXadd), nameof(RawXadd64), nameof(RawXaddOnePipeline)])]
    public void SetupRaw()
    {
        _raw = new RawRedisAppender(_connection, BenchmarkServers.NewName("bench-raw"));
        _raw.AppendAsync(WarmupRow).GetAwaiter().GetResult();
        ExpectWarmupAndEvents();
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
        _log.Stream.AppendAsync([WarmupEnvelope], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        ExpectWarmupAndEvents();
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
        StartBus(o => o.UseRedis(BenchmarkServers.Redis, r => r.KeyPrefix = _prefix));
    }

    [IterationCleanup(Target = nameof(HeraldPersisted))]
    public void CleanupHerald() => StopBus(() => RawRedisAppender.DeletePrefix(_connection, _prefix));

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "raw pipelined XADD, 512 per round trip")]
    public async Task RawXadd()
    {
        for (var start = 0; start < Rows.Length; start += Batch)
            await _raw!.AppendAsync(Rows.AsSpan(start, Math.Min(Batch, Rows.Length - start)));
    }

    /// <summary>
    /// 64 per round trip: as many as the 64 Persisted publishers can have waiting at once, so the raw writes at the
    /// commit size Herald's writer gets from them.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Events, Description = "raw pipelined XADD, 64 per round trip")]
    public async Task RawXadd64()
    {
        for (var start = 0; start < Rows.Length; start += Publishers)
            await _raw!.AppendAsync(Rows.AsSpan(start, Math.Min(Publishers, Rows.Length - start)));
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "raw pipelined XADD, all 20,000 in one pipeline")]
    public Task RawXaddOnePipeline() => _raw!.AppendAsync(Rows);

    [Benchmark(OperationsPerInvoke = Events, Description = "RedisEventLog.AppendAsync, 512/batch (no bus)")]
    public async Task LogAppend()
    {
        for (var start = 0; start < Events; start += Batch)
            await _log!.Stream.AppendAsync(new ArraySegment<EventEnvelope>(Envelopes, start, Math.Min(Batch, Events - start)), CancellationToken.None);
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Herald PublishAsync Persisted, 64 concurrent publishers")]
    public Task HeraldPersisted() => PublishAllAsync();

    private sealed class RedisAppendConfig : ManualConfig
    {
        public RedisAppendConfig() => AddColumn(new EventsPerSecondColumn());
    }
}
