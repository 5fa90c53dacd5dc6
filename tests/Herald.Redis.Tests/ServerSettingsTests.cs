using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Herald.Redis.Tests;

/// <summary>
/// What Herald says about the server it talks to, at startup and when a write is refused: AOF off (a warning), an
/// fsync policy that can lose a second (information), a read-only replica and a full server (clear errors). Each test
/// has a server of its own (<see cref="RedisServer"/>), since these settings are the server's.
/// </summary>
public sealed class ServerSettingsTests
{
    private const int RootRecreated = 101;
    private const int AofOff = 102;
    private const int FsyncNotAlways = 103;

    [Fact]
    public async Task AServerWithAofOff_IsWarnedAbout_AtStartup_SayingWhatItLosesAndWhatToSet()
    {
        await using var server = await RedisServer.StartAsync("--appendonly", "no");

        var lines = await StartupLinesAsync(server.Configuration);

        var warning = Assert.Single(lines, l => l.EventId == AofOff);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains($"127.0.0.1:{server.Port} has AOF off", warning.Message, StringComparison.Ordinal);
        Assert.Contains("'appendonly yes' and 'appendfsync always'", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerWithAofOnButFsyncEverySecond_IsNoted_AsLosingUpToASecond()
    {
        await using var server = await RedisServer.StartAsync("--appendfsync", "everysec");

        var lines = await StartupLinesAsync(server.Configuration);

        Assert.DoesNotContain(lines, l => l.EventId == AofOff);
        Assert.Contains("appendfsync everysec", Assert.Single(lines, l => l.EventId == FsyncNotAlways).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerTurnedToAofOffAtRunTime_IsWarnedAboutByTheNextLogOpened()
    {
        await using var server = await RedisServer.StartAsync();
        Assert.DoesNotContain(await StartupLinesAsync(server.Configuration), l => l.EventId is AofOff or FsyncNotAlways);

        await using (var admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true"))
            await admin.GetServers()[0].ConfigSetAsync("appendonly", "no");

        Assert.Contains(await StartupLinesAsync(server.Configuration), l => l.EventId == AofOff);
    }

    [Fact]
    public async Task AReadOnlyReplica_IsRefusedAtStartup_SayingToUseThePrimary()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync("--replicaof", "127.0.0.1", primary.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));

        var error = Assert.Throws<InvalidOperationException>(() => new RedisEventLog(new RedisOptions { Configuration = replica.Configuration }));

        Assert.Contains($"127.0.0.1:{replica.Port} is a read-only replica", error.Message, StringComparison.Ordinal);
        Assert.Contains("point Herald:Redis:Configuration at the primary", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AServerOutOfMemory_RefusesTheAppendWhole_WithAClearError_AndReadsGoOn()
    {
        await using var server = await RedisServer.StartAsync();
        await using var log = new RedisEventLog(new RedisOptions { Configuration = server.Configuration, Partitions = 1 });
        Assert.Single(await log.Stream.AppendAsync([Envelope("k")], CancellationToken.None));
        await using (var admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true"))
            await admin.GetServers()[0].ConfigSetAsync("maxmemory", "1");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await log.Stream.AppendAsync([Envelope("k"), Envelope("k")], CancellationToken.None));

        Assert.Contains($"127.0.0.1:{server.Port} is out of memory", error.Message, StringComparison.Ordinal);
        Assert.Contains("nothing of it was applied", error.Message, StringComparison.Ordinal);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);
        Assert.Single(page.Envelopes);
        Assert.Equal(1, page.Bounds.Last);
    }

    [Fact]
    public async Task AFlushUnderARunningConsumer_RecreatesTheLog_WithALogLine_AndDeliveryResumes()
    {
        await using var server = await RedisServer.StartAsync();
        await using var host = await RedisHost.StartAsync(server.Configuration);
        for (var i = 0; i < 10; i++)
            await host.Bus.PublishAsync(new Noted($"key-{i % 3}", i));
        await host.Received.WaitForAsync(10, TimeSpan.FromSeconds(30));

        await using (var admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true"))
            await admin.GetServers()[0].FlushAllDatabasesAsync();
        for (var i = 10; i < 20; i++)
            await host.Bus.PublishAsync(new Noted($"key-{i % 3}", i));

        await host.Received.WaitForAsync(20, TimeSpan.FromSeconds(30));
        await host.Logs.WaitForAsync(RootRecreated, TimeSpan.FromSeconds(30));
        Assert.Equal(Enumerable.Range(0, 20), host.Received.Events.Select(e => e.Sequence).Order());
        var line = host.Logs.Lines.First(l => l.EventId == RootRecreated);
        Assert.Equal(LogLevel.Warning, line.Level);
        Assert.Contains($"{host.KeyPrefix}log was missing on 127.0.0.1:{server.Port}", line.Message, StringComparison.Ordinal);
    }

    private static EventEnvelope Envelope(string key)
        => new(Guid.CreateVersion7(), "redis-test.raw", 1, DateTimeOffset.UtcNow, key, null, "{}"u8.ToArray());

    /// <summary>What a log opened through AddHerald and UseRedis logs at startup.</summary>
    private static async Task<IReadOnlyList<(LogLevel Level, int EventId, string Message)>> StartupLinesAsync(string configuration)
    {
        var lines = new LogLines();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddProvider(lines));
        services.AddHerald(o => o.UseRedis(configuration));
        await using var provider = services.BuildServiceProvider();
        Assert.IsType<RedisEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);
        return lines.Lines;
    }
}
