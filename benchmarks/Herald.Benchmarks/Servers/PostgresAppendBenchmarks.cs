using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Herald.Benchmarks.Durable;
using Herald.Durable;
using Herald.Infrastructure;
using Herald.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// Appending <see cref="Events"/> durable events to PostgreSQL (<c>HERALD_TEST_POSTGRES</c>), next to raw Npgsql
/// writes of the same rows into a table of the same shape (<see cref="RawPostgresAppender"/>, the baseline): a batched
/// INSERT of unnested arrays and a binary COPY, 512 rows per transaction (the log writer's largest batch). Every
/// iteration writes into a new schema, already created and warmed by one append, and drops it afterwards; Mean is per
/// event.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item><b>PostgresEventLog.AppendAsync</b>: Herald's storage layer alone, in batches of 512, envelopes prepared
/// ahead: what Herald's statements (the partitions' row locks, the reservation, the insert, the notification) cost next
/// to the raw writes.</item>
/// <item><b>Persisted, 64 publishers</b>: 64 concurrent tasks each await <c>PublishAsync</c> of their share; each
/// completes once its batch is committed (the log writer's group commit gathers what the publishers queued while the
/// previous commit ran).</item>
/// </list>
/// Each iteration checks that the table or the log holds exactly what was written.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(PostgresAppendConfig))]
[InvocationCount(1)] // each iteration needs its own new schema, prepared by [IterationSetup]
public class PostgresAppendBenchmarks : ServerAppendBenchmarks
{
    private NpgsqlDataSource _dataSource = null!;

    private RawPostgresAppender? _raw;
    private PostgresEventLog? _log;
    private string _schema = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _dataSource = NpgsqlDataSource.Create(BenchmarkServers.Postgres);
        PrepareEvents();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        DisposeCounter();
        _dataSource.Dispose();
    }

    [IterationSetup(Targets = [nameof(RawInsert), nameof(RawInsert64), nameof(RawCopy)])]
    public void SetupRaw()
    {
        _raw = new RawPostgresAppender(_dataSource, BenchmarkServers.NewName("bench_raw"));
        _raw.Insert(WarmupRow);
        ExpectWarmupAndEvents();
    }

    [IterationCleanup(Targets = [nameof(RawInsert), nameof(RawInsert64), nameof(RawCopy)])]
    public void CleanupRaw()
    {
        var stored = _raw!.Count();
        _raw.Dispose();
        _raw = null;
        Verify(stored);
    }

    [IterationSetup(Targets = [nameof(LogAppend), nameof(LogAppend64)])]
    public void SetupLog()
    {
        _schema = BenchmarkServers.NewName("bench_log");
        _log = new PostgresEventLog(new PostgresOptions { ConnectionString = BenchmarkServers.Postgres, Schema = _schema });
        _log.Stream.AppendAsync([WarmupEnvelope], CancellationToken.None).AsTask().GetAwaiter().GetResult();
        ExpectWarmupAndEvents();
    }

    [IterationCleanup(Targets = [nameof(LogAppend), nameof(LogAppend64)])]
    public void CleanupLog()
    {
        var bounds = _log!.Stream.GetBoundsAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        _log.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _log = null;
        DropSchema();
        Verify(bounds.Sum(b => b.Last));
    }

    [IterationSetup(Target = nameof(HeraldPersisted))]
    public void SetupPersisted()
    {
        _schema = BenchmarkServers.NewName("bench_bus");
        StartBus(o => o.UsePostgres(BenchmarkServers.Postgres, p => p.Schema = _schema));
    }

    [IterationCleanup(Target = nameof(HeraldPersisted))]
    public void CleanupHerald() => StopBus(DropSchema);

    [Benchmark(Baseline = true, OperationsPerInvoke = Events, Description = "raw Npgsql INSERT of unnested arrays, 512 rows/transaction")]
    public void RawInsert()
    {
        for (var start = 0; start < Rows.Length; start += Batch)
            _raw!.Insert(Rows.AsSpan(start, Math.Min(Batch, Rows.Length - start)));
    }

    /// <summary>
    /// 64 rows per transaction: as many as the 64 Persisted publishers can have waiting at once, so the raw writes at
    /// the commit size Herald's writer gets from them.
    /// </summary>
    [Benchmark(OperationsPerInvoke = Events, Description = "raw Npgsql INSERT of unnested arrays, 64 rows/transaction")]
    public void RawInsert64()
    {
        for (var start = 0; start < Rows.Length; start += Publishers)
            _raw!.Insert(Rows.AsSpan(start, Math.Min(Publishers, Rows.Length - start)));
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "raw Npgsql binary COPY, 512 rows/transaction")]
    public void RawCopy()
    {
        for (var start = 0; start < Rows.Length; start += Batch)
            _raw!.Copy(Rows.AsSpan(start, Math.Min(Batch, Rows.Length - start)));
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "PostgresEventLog.AppendAsync, 512/batch (no bus)")]
    public async Task LogAppend()
    {
        for (var start = 0; start < Events; start += Batch)
            await _log!.Stream.AppendAsync(new ArraySegment<EventEnvelope>(Envelopes, start, Math.Min(Batch, Events - start)), CancellationToken.None);
    }

    /// <summary>Herald's storage alone at the commit size 64 publishers allow, next to the raw 64 rows/transaction.</summary>
    [Benchmark(OperationsPerInvoke = Events, Description = "PostgresEventLog.AppendAsync, 64/batch (no bus)")]
    public async Task LogAppend64()
    {
        for (var start = 0; start < Events; start += Publishers)
            await _log!.Stream.AppendAsync(new ArraySegment<EventEnvelope>(Envelopes, start, Math.Min(Publishers, Events - start)), CancellationToken.None);
    }

    [Benchmark(OperationsPerInvoke = Events, Description = "Herald PublishAsync Persisted, 64 concurrent publishers")]
    public Task HeraldPersisted() => PublishAllAsync();

    private void DropSchema()
    {
        using var connection = _dataSource.OpenConnection();
        using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{_schema}\" CASCADE", connection);
        drop.ExecuteNonQuery();
    }

    private sealed class PostgresAppendConfig : ManualConfig
    {
        public PostgresAppendConfig() => AddColumn(new EventsPerSecondColumn());
    }
}
