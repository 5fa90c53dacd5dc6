using System.Globalization;
using Herald.Durable.Tests;
using static Herald.Durable.Tests.GroupChecks;

namespace Herald.Postgres.Tests;

/// <summary>
/// Several processes share consumer "group" on one PostgreSQL schema, as instances of one app on several machines do:
/// real child processes (tests/Herald.Durable.CrashApp with the <c>Postgres:&lt;connection&gt;</c> transport), started,
/// stopped and killed with SIGKILL. Each records what it handled, when, and at which partition and position; the tests
/// check exactly-once delivery, order per key across processes, no partition handled by two at once, and takeover.
/// </summary>
public sealed class GroupScenarioTests : IAsyncLifetime
{
    private const int LeaseMilliseconds = 3000;
    private const int RenewMilliseconds = 500;

    private readonly string _schema = PostgresServer.NewSchema("group");

    private string Log => "Postgres:" + PostgresServer.ConnectionStringFor(_schema);

    private IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["HERALD_PARTITIONS"] = "8",
        ["HERALD_LEASE_MS"] = LeaseMilliseconds.ToString(CultureInfo.InvariantCulture),
        ["HERALD_RENEW_MS"] = RenewMilliseconds.ToString(CultureInfo.InvariantCulture),
        ["Herald__Postgres__Schema"] = _schema,
    };

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task ThreeProcessesShareAConsumer_WhileAFourthPublishes_EachEventIsHandledOnce_InOrderPerKey_NeverByTwoAtOnce()
    {
        await using var a = await GroupMemberProcess.StartAsync(Log, Environment);
        await using var b = await GroupMemberProcess.StartAsync(Log, Environment);
        await using var c = await GroupMemberProcess.StartAsync(Log, Environment);
        GroupMemberProcess[] members = [a, b, c];
        await WaitBalancedAsync(members);

        await PublishAsync(20_000, 200);
        await WaitHandledAsync(members, 20_000);
        foreach (var member in members)
            await member.StopAsync();

        var handled = members.SelectMany(m => m.HandledEvents).ToList();
        Assert.Equal(20_000, handled.Count);
        Assert.Equal(20_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
        Assert.Equal(3, handled.Select(h => h.ProcessId).Distinct().Count());
        AssertOrderPerKey(handled);
        AssertNoPartitionHandledByTwoAtOnce(handled);
    }

    [Fact]
    public async Task AMemberKilledWhileItOwnsPartitions_TheyAreTakenOverWithinTheLease_TheOnlyRepeatsAreItsUncommittedBatch()
    {
        await using var a = await GroupMemberProcess.StartAsync(Log, Environment);
        await using var b = await GroupMemberProcess.StartAsync(Log, Environment);
        await using var victim = await GroupMemberProcess.StartAsync(Log, Environment);
        await WaitBalancedAsync([a, b, victim]);
        var publishing = PublishAsync(10_000, 100);
        await victim.WaitForLineAsync(l => l.StartsWith("h ", StringComparison.Ordinal) && HandledCount(victim) >= 500, Patience);
        Assert.NotEmpty(victim.Owned);

        var killedAt = DateTime.UtcNow;
        await victim.KillAsync();
        var takenOver = await WaitUntilAsync(() => a.Owned.Concat(b.Owned).Distinct().Count() == 8);
        await publishing;
        await WaitHandledAsync([a, b], 10_000, alreadyHandled: victim.HandledEvents);
        await a.StopAsync();
        await b.StopAsync();

        Assert.InRange((takenOver - killedAt).TotalMilliseconds, 0, LeaseMilliseconds + RenewMilliseconds + 1_500);
        var handled = a.HandledEvents.Concat(b.HandledEvents).Concat(victim.HandledEvents).ToList();
        Assert.Equal(10_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
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
        AssertOrderPerKey(handled.Except(repeats.Select(g => g.MinBy(h => h.StartTicks)!)).ToList());
        Assert.Equal(await HeadsAsync(), await OffsetsAsync());
    }

    [Fact]
    public async Task AnOwnerFrozenPastItsLease_ItsPartitionsAreTakenOver_AndItCannotCommitAfterwards()
    {
        // SIGSTOP can freeze the member inside a commit, holding the lease row its commit locks: the server ends such a
        // transaction after PostgresCheckpoints.CommitIdleTimeout, so the partitions are taken over all the same.
        await using var a = await GroupMemberProcess.StartAsync(Log, Environment);
        await using var frozen = await GroupMemberProcess.StartAsync(Log, Environment);
        await WaitBalancedAsync([a, frozen]);
        var publishing = PublishAsync(10_000, 50);
        await frozen.WaitForLineAsync(l => l.StartsWith("h ", StringComparison.Ordinal) && HandledCount(frozen) >= 200, Patience);

        frozen.Pause();
        await WaitUntilAsync(() => a.Owned.Count == 8);
        var offsetsWhileFrozen = await OffsetsAsync();
        frozen.Resume();
        // On waking, its first commit or renewal finds the partitions taken: it stops them without committing.
        await frozen.WaitForLineAsync(l => l.StartsWith("log Warning 14 ", StringComparison.Ordinal) || l.StartsWith("log Warning 15 ", StringComparison.Ordinal), Patience);
        await publishing;
        await WaitHandledAsync([a, frozen], 10_000);
        await a.StopAsync();
        await frozen.StopAsync();

        var handled = a.HandledEvents.Concat(frozen.HandledEvents).ToList();
        Assert.Equal(10_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
        var offsets = await OffsetsAsync();
        Assert.Equal(await HeadsAsync(), offsets);
        Assert.All(offsetsWhileFrozen, before => Assert.True(offsets[before.Key] >= before.Value));
        // Everything handled twice was handled once by the frozen member: the batch it was in when it froze, never a
        // batch it began after waking.
        var repeats = handled.GroupBy(h => (h.Key, h.Sequence)).Where(g => g.Count() > 1).ToList();
        Assert.All(repeats, g => Assert.Equal(2, g.Count()));
        Assert.All(repeats, g => Assert.Contains(g, h => h.ProcessId == frozen.ProcessId));
        Assert.All(repeats.GroupBy(g => g.First().Partition), partition => Assert.InRange(partition.Count(), 1, 50));
    }

    private async Task PublishAsync(int count, int keys)
    {
        var (lines, _) = await CrashApp.RunAsync(
            ["publish-keys", Log, count.ToString(CultureInfo.InvariantCulture), keys.ToString(CultureInfo.InvariantCulture)],
            _ => false, Patience, Environment);
        Assert.Contains($"published {count}", lines);
    }

    private async Task WaitHandledAsync(IReadOnlyList<GroupMemberProcess> members, int count, IReadOnlyList<GroupMemberProcess.Handled>? alreadyHandled = null)
    {
        await WaitUntilAsync(() => members.SelectMany(m => m.HandledEvents).Concat(alreadyHandled ?? []).Select(h => (h.Key, h.Sequence)).Distinct().Count() >= count);
        await using var log = await OpenAsync();
        var admin = new DurableLogAdmin(log);
        using var timeout = new CancellationTokenSource(Patience);
        while (await admin.GetLagAsync("group", timeout.Token) > 0)
            await Task.Delay(20, timeout.Token);
    }

    private Task<PostgresEventLog> OpenAsync()
        => PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = PostgresServer.ConnectionStringFor(_schema), Schema = _schema, Notifications = false });

    private async Task<Dictionary<int, long>> OffsetsAsync()
    {
        await using var log = await OpenAsync();
        return (await log.Checkpoints.GetOffsetsAsync("group", CancellationToken.None)).ToDictionary(o => o.Partition, o => o.Position);
    }

    private async Task<Dictionary<int, long>> HeadsAsync()
    {
        await using var log = await OpenAsync();
        return (await log.Stream.GetBoundsAsync(CancellationToken.None)).ToDictionary(b => b.Partition, b => b.Last);
    }
}
