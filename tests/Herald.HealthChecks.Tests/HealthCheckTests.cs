using Herald.HealthChecks;
using Herald.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Herald.HealthChecks.Tests;

/// <summary>Each state of <c>AddHealthChecks().AddHerald()</c>, read through HealthCheckService as an app's endpoint reads it.</summary>
public sealed class HealthCheckTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "herald-healthchecks-tests", Guid.NewGuid().ToString("N"));
    private ServiceProvider? _provider;

    private string DatabaseFile => Path.Combine(_folder, "events.db");

    private IEventBus Bus => _provider!.GetRequiredService<IEventBus>();

    private DurableLogAdmin Admin => _provider!.GetRequiredService<DurableLogAdmin>();

    private DurableConsumers Consumers => _provider!.GetRequiredService<DurableConsumers>();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _provider?.GetService<Ledger>()?.Release();
        if (_provider is not null)
            await _provider.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ConsumersRunningAndCaughtUp_IsHealthy()
    {
        Start();
        await Consumers.StartAsync(CancellationToken.None);
        for (var i = 1; i <= 5; i++)
            await Bus.PublishAsync(new EntryPosted("acc-1", i));
        await _provider!.GetRequiredService<HeraldTestHarness>().WaitForIdleAsync(Timeout);

        var entry = await CheckAsync();

        Assert.Equal(HealthStatus.Healthy, entry.Status);
        Assert.Equal("Herald: consumers ledger are running and keep up", entry.Description);
        Assert.Empty(entry.Data);
    }

    [Fact]
    public async Task ConsumersNotRunning_IsUnhealthy()
    {
        Start();

        var entry = await CheckAsync();

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal("Herald: the durable consumers are not running (ledger): the host is stopped or was never started.", entry.Description);
        Assert.Equal("not running", entry.Data["consumers"]);
    }

    [Fact]
    public async Task ConsumersStoppedAfterRunning_IsUnhealthy_WithTheFailureStatusTheAppChose()
    {
        Start(failureStatus: HealthStatus.Degraded);
        await Consumers.StartAsync(CancellationToken.None);
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);

        await Consumers.StopAsync(CancellationToken.None);
        var entry = await CheckAsync();

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.StartsWith("Herald: the durable consumers are not running (ledger)", entry.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LagAboveTheThreshold_IsDegraded_NamingTheConsumerAndPartition()
    {
        Start(o => o.DegradedLag = 3);
        var ledger = _provider!.GetRequiredService<Ledger>();
        ledger.Close();
        await Consumers.StartAsync(CancellationToken.None);
        for (var i = 1; i <= 5; i++)
            await Bus.PublishAsync(new EntryPosted("acc-2", i));
        await ledger.Entered.Task.WaitAsync(Timeout); // held in the first handler: its offset is 0, the partition's last 5
        var partition = Partitioning.PartitionOf("acc-2", Partitioning.DefaultPartitions);

        var entry = await CheckAsync();

        Assert.Equal(HealthStatus.Degraded, entry.Status);
        Assert.Equal($"Herald: consumer 'ledger' lags 5 events in partition {partition} (offset 0, last 5; degraded above 3).", entry.Description);
        Assert.Equal("lag 5 (offset 0, last 5)", entry.Data[$"ledger/{partition}"]);
        Assert.Single(entry.Data);
    }

    [Fact]
    public async Task LagBelowTheConsumersOwnThreshold_IsHealthy()
    {
        Start(o =>
        {
            o.DegradedLag = 3;
            o.DegradedLagOf("ledger", 10);
        });
        var ledger = _provider!.GetRequiredService<Ledger>();
        ledger.Close();
        await Consumers.StartAsync(CancellationToken.None);
        for (var i = 1; i <= 5; i++)
            await Bus.PublishAsync(new EntryPosted("acc-3", i));
        await ledger.Entered.Task.WaitAsync(Timeout);

        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);
    }

    [Fact]
    public async Task AConsumerBehindRetention_IsUnhealthy_NamingThePartitionAndTheFirstRetainedPosition()
    {
        Start();
        for (var i = 1; i <= 4; i++)
            await Bus.PublishAsync(new EntryPosted("acc-4", i));
        var partition = Partitioning.PartitionOf("acc-4", Partitioning.DefaultPartitions);
        await Admin.MoveOffsetAsync("ledger", partition, 1);
        await Admin.Log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 1 }, DateTimeOffset.UtcNow, CancellationToken.None);
        await Consumers.StartAsync(CancellationToken.None);

        var entry = await CheckAsync();

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.Equal(
            $"Herald: consumer 'ledger' is behind retention in partition {partition}: its offset 1 is before the first retained position 4; move it (herald offsets set ledger --earliest).",
            entry.Description);
        Assert.Equal("behind retention: offset 1, first retained 4", entry.Data[$"ledger/{partition}"]);
    }

    [Fact]
    public async Task AppendsBeingDeadLettered_IsUnhealthy_UntilTheWindowHasPassed()
    {
        Start(o => o.AppendDeadLetterWindow = TimeSpan.FromMinutes(5), heraldOptions: o =>
        {
            o.AppendRetries = 1;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(1);
        });
        await Consumers.StartAsync(CancellationToken.None);
        _ = Admin.Log;
        await using (var blocker = new SqliteConnection($"Data Source={DatabaseFile};Pooling=False"))
        {
            await blocker.OpenAsync();
            using var transaction = blocker.BeginTransaction(deferred: false); // BEGIN IMMEDIATE: the writer cannot append
            await Assert.ThrowsAsync<EventAppendException>(() => Bus.PublishAsync(new EntryPosted("acc-5", 1)).AsTask());
        }
        var file = Admin.AppendDeadLetterFile!;

        var entry = await CheckAsync();

        Assert.Equal(HealthStatus.Unhealthy, entry.Status);
        Assert.StartsWith($"Herald: appends are being dead-lettered: the log writer could not append events and wrote them to {file} (last at ", entry.Description, StringComparison.Ordinal);
        Assert.StartsWith($"{file}, last written ", (string)entry.Data["appendDeadLetters"], StringComparison.Ordinal);

        File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromMinutes(6));
        Assert.Equal(HealthStatus.Healthy, (await CheckAsync()).Status);
    }

    [Fact]
    public void BadThresholds_AreRefusedAtRegistration_SayingWhatToSet()
    {
        var services = new ServiceCollection();

        var lag = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddHealthChecks().AddHerald(o => o.DegradedLag = -1));
        var window = Assert.Throws<ArgumentOutOfRangeException>(() => services.AddHealthChecks().AddHerald(o => o.AppendDeadLetterWindow = TimeSpan.Zero));

        Assert.StartsWith("DegradedLag is a number of events: 0 or more.", lag.Message, StringComparison.Ordinal);
        Assert.StartsWith("AppendDeadLetterWindow must be positive", window.Message, StringComparison.Ordinal);
    }

    private void Start(Action<HeraldHealthCheckOptions>? configure = null, HealthStatus? failureStatus = null, Action<HeraldOptions>? heraldOptions = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddHerald(o =>
        {
            o.UseSqlite($"Data Source={DatabaseFile}", sqlite => sqlite.BusyTimeout = TimeSpan.FromMilliseconds(50));
            o.Consumers.CommitInterval = TimeSpan.FromMilliseconds(20);
            heraldOptions?.Invoke(o);
        });
        services.AddHeraldTestHarness();
        services.AddHealthChecks().AddHerald(configure, failureStatus: failureStatus);
        _provider = services.BuildServiceProvider();
    }

    private async Task<HealthReportEntry> CheckAsync()
    {
        var report = await _provider!.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["herald"];
    }
}
