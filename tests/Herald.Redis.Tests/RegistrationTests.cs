using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Redis.Tests;

/// <summary>Choosing the Redis log in code (<c>UseRedis</c>) and in configuration (<c>Herald:Transport=Redis</c>).</summary>
public sealed class RegistrationTests
{
    [Fact]
    public async Task UseRedis_WithAddHerald_RegistersTheRedisLog_UnderTheDefaultPrefix_AndItAppends()
    {
        var services = new ServiceCollection();
        services.AddHerald(o => o.UseRedis(TestRedis.Configuration, redis => redis.KeyPrefix = TestRedis.NewPrefix("register")));
        await using var provider = services.BuildServiceProvider();

        var log = Assert.IsType<RedisEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);
        try
        {
            Assert.Equal(RedisEventLog.TransportName, provider.GetRequiredService<HeraldOptions>().Transport);
            Assert.Equal(TestRedis.Configuration, log.Endpoints);
            Assert.Equal(Partitioning.DefaultPartitions, log.Stream.Partitions);
            Assert.Single(await log.Stream.AppendAsync([new EventEnvelope(Guid.CreateVersion7(), "t", 1, DateTimeOffset.UtcNow, "k", null, "{}"u8.ToArray())], CancellationToken.None));
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(log.KeyPrefix);
        }
    }

    [Fact]
    public void RedisOptions_KeyPrefix_DefaultsToHerald()
        => Assert.Equal("herald:", new RedisOptions().KeyPrefix);

    [Fact]
    public void RedisTransport_IsNamedRedis_AndDeclaredByTheAssembly()
    {
        Assert.Equal("Redis", RedisTransport.Name);
        var declared = typeof(RedisTransport).Assembly.GetCustomAttributes(typeof(HeraldTransportAttribute), inherit: false);
        Assert.Equal(typeof(RedisTransport), Assert.IsType<HeraldTransportAttribute>(Assert.Single(declared)).TransportType);
    }

    [Fact]
    public async Task AddHerald_TransportRedisInConfiguration_OpensTheLogOnThatServer_WithTheConfiguredPrefix()
    {
        var prefix = TestRedis.NewPrefix("configured");
        await using var provider = Build(new()
        {
            ["Herald:Transport"] = "Redis",
            ["Herald:Redis:Configuration"] = TestRedis.Configuration,
            ["Herald:Redis:KeyPrefix"] = prefix,
            ["Herald:Partitions"] = "3",
        });
        try
        {
            var log = Assert.IsType<RedisEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);
            Assert.Equal("Redis", provider.GetRequiredService<HeraldOptions>().Transport);
            Assert.Equal(prefix, log.KeyPrefix);
            Assert.Equal(3, log.Stream.Partitions);
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(prefix);
        }
    }

    [Fact]
    public void AddHerald_TransportRedisWithoutConfiguration_SaysWhichKeyToSet()
    {
        var error = Assert.ThrowsAny<Exception>(() => Build(new() { ["Herald:Transport"] = "Redis" }));

        Assert.Contains("Herald:Redis:Configuration", error.Message, StringComparison.Ordinal);
        Assert.Contains("localhost:6379", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space:")]
    [InlineData("glob*:")]
    [InlineData("")]
    public void AddHerald_ABadKeyPrefix_IsRefused_NamingTheSetting(string prefix)
    {
        var error = Assert.ThrowsAny<Exception>(() => Build(new()
        {
            ["Herald:Transport"] = "Redis",
            ["Herald:Redis:Configuration"] = TestRedis.Configuration,
            ["Herald:Redis:KeyPrefix"] = prefix,
        }));

        Assert.Contains("Herald:Redis:KeyPrefix", error.Message, StringComparison.Ordinal);
        Assert.Contains("key prefix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UseRedis_ATooLongKeyPrefix_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new HeraldOptions().UseRedis(TestRedis.Configuration, r => r.KeyPrefix = new string('p', 101)));

        Assert.Contains("at most 100", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnreachableServer_IsAClearError_ThatNeverShowsThePassword()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            new RedisEventLog(new RedisOptions { Configuration = "127.0.0.1:1,password=hunter2-secret,connectTimeout=500,syncTimeout=500" }));

        Assert.Contains("cannot reach the Redis server at 127.0.0.1:1", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enlist_OnARedisLog_ThrowsNotSupported_SayingToPublishAfterTheCommit()
    {
        var services = new ServiceCollection();
        var prefix = TestRedis.NewPrefix("enlist");
        services.AddHerald(o => o.UseRedis(TestRedis.Configuration, redis => redis.KeyPrefix = prefix));
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        try
        {
            var error = Assert.Throws<NotSupportedException>(() => bus.Enlist(transaction));

            Assert.Contains("The Redis log cannot append in the app's transaction", error.Message, StringComparison.Ordinal);
            Assert.Contains("Publish after your transaction commits", error.Message, StringComparison.Ordinal);
            Assert.Null(await provider.GetRequiredService<DurableLogAdmin>().Log.Checkpoints.BeginTransactionAsync(CancellationToken.None));
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(prefix);
        }
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddHerald(configuration.GetSection("Herald"));
        var provider = services.BuildServiceProvider();
        try
        {
            _ = provider.GetRequiredService<DurableLogAdmin>().Log;
            return provider;
        }
        catch
        {
            provider.Dispose();
            throw;
        }
    }
}
