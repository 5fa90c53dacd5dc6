using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Herald.Redis.Tests.Support;

/// <summary>Herald on a Redis log as an app runs it (AddHerald, UseRedis, consumers started), with its log lines kept.</summary>
public sealed class RedisHost : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private RedisHost(ServiceProvider provider, string deadLetterFile, string prefix)
    {
        _provider = provider;
        DeadLetterFile = deadLetterFile;
        KeyPrefix = prefix;
    }

    public IEventBus Bus => _provider.GetRequiredService<IEventBus>();

    public DurableLogAdmin Admin => _provider.GetRequiredService<DurableLogAdmin>();

    public RedisEventLog Log => (RedisEventLog)Admin.Log;

    public Received Received => _provider.GetRequiredService<Received>();

    public LogLines Logs => _provider.GetRequiredService<LogLines>();

    public string DeadLetterFile { get; }

    public string KeyPrefix { get; }

    /// <summary>
    /// Starts Herald on <paramref name="configuration"/> under <paramref name="prefix"/> (a new one when null), two
    /// partitions, consumers running unless <paramref name="startConsumers"/> is false.
    /// </summary>
    public static async Task<RedisHost> StartAsync(string configuration, Action<HeraldOptions>? configure = null, bool startConsumers = true,
        Action<RedisOptions>? redis = null, string? prefix = null)
    {
        prefix ??= TestRedis.NewPrefix("host");
        var deadLetterFile = Path.Combine(Path.GetTempPath(), $"herald-redis-tests-{Guid.NewGuid():N}.dead-letters.jsonl");
        var lines = new LogLines();
        var services = new ServiceCollection();
        services.AddSingleton<Received>();
        services.AddSingleton(lines);
        services.AddLogging(logging => logging.AddProvider(lines).SetMinimumLevel(LogLevel.Debug));
        services.AddHerald(o =>
        {
            o.UseRedis(configuration, r =>
            {
                r.KeyPrefix = prefix;
                redis?.Invoke(r);
            });
            o.Partitions = 2;
            o.DeadLetterFile = deadLetterFile;
            o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Consumers.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Consumers.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.Consumers.LeaseDuration = TimeSpan.FromSeconds(3);
            o.Consumers.LeaseRenewalInterval = TimeSpan.FromMilliseconds(200);
            configure?.Invoke(o);
        });
        var host = new RedisHost(services.BuildServiceProvider(), deadLetterFile, prefix);
        if (startConsumers)
            await host._provider.GetRequiredService<DurableConsumers>().StartAsync(CancellationToken.None);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.GetRequiredService<DurableConsumers>().StopAsync(CancellationToken.None);
        await _provider.DisposeAsync();
        File.Delete(DeadLetterFile);
    }
}
