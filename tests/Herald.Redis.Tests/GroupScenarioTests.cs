using System.Globalization;
using Herald.Durable.Tests;
using static Herald.Durable.Tests.GroupChecks;

namespace Herald.Redis.Tests;

/// <summary>
/// Three processes (tests/Herald.Durable.CrashApp, transport <c>Redis:&lt;configuration&gt;</c>, key prefix from the
/// environment) share consumer "group" on one Redis log while a fourth publishes; one member is killed with SIGKILL
/// mid-stream. Nothing is lost, the only repeats are the killed member's uncommitted batch, order per key holds, and
/// no partition is ever handled by two processes at once.
/// </summary>
public sealed class GroupScenarioTests : IAsyncLifetime
{
    private const int LeaseMilliseconds = 3000;
    private const int RenewMilliseconds = 500;

    private readonly string _prefix = TestRedis.NewPrefix("group");
    private readonly string _log = "Redis:" + TestRedis.Configuration;

    private IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["HERALD_PARTITIONS"] = "8",
        ["HERALD_LEASE_MS"] = LeaseMilliseconds.ToString(CultureInfo.InvariantCulture),
        ["HERALD_RENEW_MS"] = RenewMilliseconds.ToString(CultureInfo.InvariantCulture),
        ["Herald__Redis__KeyPrefix"] = _prefix,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => TestRedis.DeleteKeysAsync(_prefix);

    [Fact]
    public async Task ThreeProcessesShareAConsumer_OneIsKilledWithSigkill_ItsPartitionsAreTakenOver_NothingIsLost_OrderPerKeyHolds()
    {
        await using var a = await GroupMemberProcess.StartAsync(_log, Environment);
        await using var b = await GroupMemberProcess.StartAsync(_log, Environment);
        await using var victim = await GroupMemberProcess.StartAsync(_log, Environment);
        await WaitBalancedAsync([a, b, victim]);
        var publishing = PublishAsync(10_000, 100);
        await victim.WaitForLineAsync(l => l.StartsWith("h ", StringComparison.Ordinal) && victim.HandledEvents.Count >= 500, Patience);
        Assert.NotEmpty(victim.Owned);

        await victim.KillAsync();
        await WaitUntilAsync(() => a.Owned.Concat(b.Owned).Distinct().Count() == 8);
        await publishing;
        await WaitUntilAsync(() => a.HandledEvents.Concat(b.HandledEvents).Concat(victim.HandledEvents).Select(h => (h.Key, h.Sequence)).Distinct().Count() >= 10_000);
        await using (var log = new RedisEventLog(new RedisOptions { Configuration = TestRedis.Configuration, KeyPrefix = _prefix }))
        {
            var admin = new DurableLogAdmin(log);
            using var timeout = new CancellationTokenSource(Patience);
            while (await admin.GetLagAsync("group", timeout.Token) > 0)
                await Task.Delay(20, timeout.Token);
        }
        await a.StopAsync();
        await b.StopAsync();

        var handled = a.HandledEvents.Concat(b.HandledEvents).Concat(victim.HandledEvents).ToList();
        Assert.Equal(10_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
        Assert.Equal(3, handled.Select(h => h.ProcessId).Distinct().Count());
        var repeats = handled.GroupBy(h => (h.Key, h.Sequence)).Where(g => g.Count() > 1).ToList();
        Assert.All(repeats, g => Assert.Equal(2, g.Count()));
        Assert.All(repeats, g => Assert.Equal(victim.ProcessId, g.MinBy(h => h.StartTicks)!.ProcessId));
        foreach (var partition in repeats.GroupBy(g => g.First().Partition))
        {
            // What was repeated in a partition is the end of what the victim handled there, at most one read batch (50).
            var victimPositions = victim.HandledEvents.Where(h => h.Partition == partition.Key).Select(h => h.Position).ToList();
            var repeated = partition.Select(g => g.First().Position).Order().ToList();
            Assert.InRange(repeated.Count, 1, 50);
            Assert.Equal(victimPositions.TakeLast(repeated.Count), repeated);
        }
        foreach (var key in handled.Except(repeats.Select(g => g.MinBy(h => h.StartTicks)!)).GroupBy(h => h.Key))
        {
            var inTime = key.OrderBy(h => h.StartTicks).Select(h => h.Sequence).ToList();
            Assert.Equal(inTime.Order(), inTime);
        }
        foreach (var partition in handled.GroupBy(h => h.Partition))
        {
            var inTime = partition.OrderBy(h => h.StartTicks).ToList();
            for (var i = 1; i < inTime.Count; i++)
            {
                if (inTime[i].ProcessId != inTime[i - 1].ProcessId)
                    Assert.True(inTime[i].StartTicks >= inTime[i - 1].EndTicks,
                        $"Partition {partition.Key}: process {inTime[i].ProcessId} started position {inTime[i].Position} before process {inTime[i - 1].ProcessId} finished position {inTime[i - 1].Position}.");
            }
        }
    }

    private async Task PublishAsync(int count, int keys)
    {
        var (lines, _) = await CrashApp.RunAsync(
            ["publish-keys", _log, count.ToString(CultureInfo.InvariantCulture), keys.ToString(CultureInfo.InvariantCulture)],
            _ => false, Patience, Environment);
        Assert.Contains($"published {count}", lines);
    }
}
