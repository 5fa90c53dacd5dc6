using Herald.Durable.Tests;

namespace Herald.Redis.Tests;

/// <summary>
/// The crash scenarios (<see cref="CrashScenarioSpecification"/>) on Redis: the crash app on
/// <c>Redis:&lt;configuration&gt;</c> with a key prefix of this test's own, deleted at the end. Redis gives handlers no
/// transaction, so the consumer killed between handling and commit is the one that applies events to a file outside
/// the log: it applies exactly its uncommitted events again, and its inbox marks stop a repeat of the committed ones.
/// </summary>
public sealed class RedisCrashScenarioTests : CrashScenarioSpecification
{
    private readonly string _prefix = TestRedis.NewPrefix("crash");

    protected override string Log => "Redis:" + TestRedis.Configuration;

    protected override IReadOnlyDictionary<string, string> TransportSettings
        => new Dictionary<string, string> { ["Herald__Redis__KeyPrefix"] = _prefix };

    protected override Task<IEventLog> OpenLogAsync()
        => Task.FromResult<IEventLog>(new RedisEventLog(new RedisOptions { Configuration = TestRedis.Configuration, KeyPrefix = _prefix }));

    public override async Task DisposeAsync()
    {
        await TestRedis.DeleteKeysAsync(_prefix);
        await base.DisposeAsync();
    }
}
