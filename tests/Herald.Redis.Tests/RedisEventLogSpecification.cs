using Herald.Durable.Specification;

namespace Herald.Redis.Tests;

/// <summary>The durable log contract on <see cref="RedisEventLog"/>: a new key prefix per log on the shared server.</summary>
public sealed class RedisEventLogSpecification : EventLogSpecification
{
    private readonly List<string> _prefixes = [];

    protected override ValueTask<IEventLog> CreateLogAsync(int partitions)
    {
        var prefix = TestRedis.NewPrefix("spec");
        lock (_prefixes)
            _prefixes.Add(prefix);
        return ValueTask.FromResult<IEventLog>(new RedisEventLog(new RedisOptions
        {
            Configuration = TestRedis.Configuration,
            KeyPrefix = prefix,
            Partitions = partitions,
        }));
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var prefix in _prefixes)
            await TestRedis.DeleteKeysAsync(prefix);
    }
}
