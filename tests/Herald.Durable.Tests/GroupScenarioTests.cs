using System.Globalization;
using Herald.Sqlite;
using Microsoft.Data.Sqlite;
using static Herald.Durable.Tests.GroupChecks;

namespace Herald.Durable.Tests;

/// <summary>
/// Several processes share consumer "group" on one SQLite file, as instances of one app do: real child processes,
/// started, stopped, killed with SIGKILL and frozen with SIGSTOP. Each records what it handled, when (UTC ticks), and
/// at which partition and position; the tests check exactly-once delivery, order per key across processes, and that
/// no partition was ever handled by two processes at once.
/// </summary>
public sealed class GroupScenarioTests : IDisposable
{
    // The scenarios that kill or freeze a member wait for its lease to expire: long enough that the survivors' own leases
    // outlast a scheduling stall of a few seconds on a loaded machine, short enough to keep the tests quick.
    private const int LeaseMilliseconds = 6000;
    private const int RenewMilliseconds = 500;

    private static readonly IReadOnlyDictionary<string, string> Environment = new Dictionary<string, string>
    {
        ["HERALD_PARTITIONS"] = "8",
        ["HERALD_LEASE_MS"] = LeaseMilliseconds.ToString(CultureInfo.InvariantCulture),
        ["HERALD_RENEW_MS"] = RenewMilliseconds.ToString(CultureInfo.InvariantCulture),
    };

    // For the scenarios that assert exactly once with nobody killed or frozen: a member that does not run for a whole
    // lease (on a loaded 2-core CI machine, three members, a publisher and other suites' servers and child processes
    // share the cores) loses its partitions by design, and its uncommitted batch is delivered again (at least once).
    // Before this, runs under load failed with 100 to 550 repeats and "commit refused" warnings, on the builds before and
    // after the one-read wake-up alike. A lease of 15 s keeps that precondition; the scenarios that measure a takeover
    // keep the short one.
    private static readonly IReadOnlyDictionary<string, string> SteadyEnvironment = new Dictionary<string, string>
    {
        ["HERALD_PARTITIONS"] = "8",
        ["HERALD_LEASE_MS"] = "15000",
        ["HERALD_RENEW_MS"] = RenewMilliseconds.ToString(CultureInfo.InvariantCulture),
    };

    private readonly string _folder = Directory.CreateTempSubdirectory("herald-group-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ThreeProcessesShareAConsumer_WhileAFourthPublishes50000EventsOver200Keys_EachIsHandledOnce_InOrderPerKey()
    {
        var database = Path.Combine(_folder, "three.db");
        await using var a = await GroupMemberProcess.StartAsync(database, SteadyEnvironment);
        await using var b = await GroupMemberProcess.StartAsync(database, SteadyEnvironment);
        await using var c = await GroupMemberProcess.StartAsync(database, SteadyEnvironment);
        GroupMemberProcess[] members = [a, b, c];
        await WaitBalancedAsync(members);

        await PublishAsync(database, 50_000, 200);
        await WaitHandledAsync(database, members, 50_000);
        foreach (var member in members)
            await member.StopAsync();

        var handled = members.SelectMany(m => m.HandledEvents).ToList();
        Assert.True(handled.Count == 50_000, $"{handled.Count} deliveries, 50000 expected. {WhatTheyLogged(members)}");
        Assert.Equal(50_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
        Assert.Equal(3, handled.Select(h => h.ProcessId).Distinct().Count());
        AssertOrderPerKey(handled);
        AssertNoPartitionHandledByTwoAtOnce(handled);
    }

    [Fact]
    public async Task AMemberKilledWhileItOwnsPartitions_TheyAreTakenOverWithinTheLeaseAndOneRenewal_TheOnlyRepeatsAreItsUncommittedBatch()
    {
        var database = Path.Combine(_folder, "kill.db");
        await using var a = await GroupMemberProcess.StartAsync(database, Environment);
        await using var b = await GroupMemberProcess.StartAsync(database, Environment);
        await using var victim = await GroupMemberProcess.StartAsync(database, Environment);
        await WaitBalancedAsync([a, b, victim]);
        var publishing = PublishAsync(database, 20_000, 100);
        await victim.WaitForLineAsync(l => l.StartsWith("h ", StringComparison.Ordinal) && HandledCount(victim) >= 1_000, Patience);
        var owned = victim.Owned;
        Assert.NotEmpty(owned);

        var killedAt = DateTime.UtcNow;
        await victim.KillAsync();
        var takenOver = await WaitUntilAsync(() => a.Owned.Concat(b.Owned).Distinct().Count() == 8);
        await publishing;
        await WaitHandledAsync(database, [a, b], 20_000, alreadyHandled: victim.HandledEvents);
        await a.StopAsync();
        await b.StopAsync();

        // The survivors saw the victim's partitions free once its lease expired, at their next renewal (the slack is
        // for the reporting loop and scheduling: CI runs the SQLite, PostgreSQL and Redis suites at once on 2 cores,
        // and measured 5.1 s against 5.0 s with 1.5 s of slack).
        Assert.InRange((takenOver - killedAt).TotalMilliseconds, 0, LeaseMilliseconds + RenewMilliseconds + 3_000);
        var handled = a.HandledEvents.Concat(b.HandledEvents).Concat(victim.HandledEvents).ToList();
        Assert.Equal(20_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
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
    }

    [Fact]
    public async Task RollingRestart_StopOneStartOneThreeTimes_WhilePublishing_NothingIsLostOrRepeated()
    {
        var database = Path.Combine(_folder, "rolling.db");
        var members = new List<GroupMemberProcess>();
        try
        {
            for (var i = 0; i < 3; i++)
                members.Add(await GroupMemberProcess.StartAsync(database, SteadyEnvironment));
            await WaitBalancedAsync(members);
            var publishing = PublishAsync(database, 20_000, 100);

            for (var round = 0; round < 3; round++)
            {
                var leaving = members[round];
                await leaving.WaitForLineAsync(l => l.StartsWith("h ", StringComparison.Ordinal), Patience);
                await leaving.StopAsync();
                members.Add(await GroupMemberProcess.StartAsync(database, SteadyEnvironment));
                await WaitBalancedAsync(members.Where(m => !m.HasExited).ToList());
            }
            await publishing;
            var running = members.Where(m => !m.HasExited).ToList();
            await WaitHandledAsync(database, running, 20_000, alreadyHandled: [.. members.Where(m => m.HasExited).SelectMany(m => m.HandledEvents)]);
            foreach (var member in running)
                await member.StopAsync();

            var handled = members.SelectMany(m => m.HandledEvents).ToList();
            Assert.True(handled.Count == 20_000, $"{handled.Count} deliveries, 20000 expected. {WhatTheyLogged(members)}");
            Assert.Equal(20_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
            AssertOrderPerKey(handled);
            AssertNoPartitionHandledByTwoAtOnce(handled);
        }
        finally
        {
            foreach (var member in members)
                await member.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnOwnerPausedPastItsLease_CannotCommitAfterAnotherTookThePartition()
    {
        var database = Path.Combine(_folder, "paused.db");
        await using var a = await GroupMemberProcess.StartAsync(database, Environment);
        await using var paused = await GroupMemberProcess.StartAsync(database, Environment);
        await WaitBalancedAsync([a, paused]);
        var publishing = PublishAsync(database, 10_000, 50);
        await paused.WaitForLineAsync(l => l.StartsWith("h ", StringComparison.Ordinal), Patience);

        await PauseOutsideAWriteAsync(paused, database);
        await WaitUntilAsync(() => a.Owned.Count == 8);
        var offsetsWhileFrozen = await OffsetsAsync(database);
        paused.Resume();
        // On waking, its first commit or renewal finds the partitions taken: it stops them without committing.
        await paused.WaitForLineAsync(l => l.StartsWith("log Warning 14 ", StringComparison.Ordinal) || l.StartsWith("log Warning 15 ", StringComparison.Ordinal), Patience);
        await publishing;
        await WaitHandledAsync(database, [a, paused], 10_000);
        await a.StopAsync();
        await paused.StopAsync();

        var handled = a.HandledEvents.Concat(paused.HandledEvents).ToList();
        Assert.Equal(10_000, handled.Select(h => (h.Key, h.Sequence)).Distinct().Count());
        var offsets = await OffsetsAsync(database);
        var heads = await HeadsAsync(database);
        Assert.Equal(heads, offsets);
        Assert.All(offsetsWhileFrozen, frozen => Assert.True(offsets[frozen.Key] >= frozen.Value));
        // Everything handled twice was handled once by the paused member: the batch it was in when it froze (the rest of
        // which it finished on waking, after the new owner had handled it too), never a batch it began after waking.
        var repeats = handled.GroupBy(h => (h.Key, h.Sequence)).Where(g => g.Count() > 1).ToList();
        Assert.All(repeats, g => Assert.Equal(2, g.Count()));
        Assert.All(repeats, g => Assert.Contains(g, h => h.ProcessId == paused.ProcessId));
        Assert.All(repeats.GroupBy(g => g.First().Partition), partition => Assert.InRange(partition.Count(), 1, 50));
    }

    private static async Task PublishAsync(string database, int count, int keys)
    {
        var (lines, _) = await CrashApp.RunAsync(
            ["publish-keys", database, count.ToString(CultureInfo.InvariantCulture), keys.ToString(CultureInfo.InvariantCulture)],
            _ => false, Patience, Environment);
        Assert.Contains($"published {count}", lines);
    }

    /// <summary>Waits until every one of <paramref name="count"/> events was handled by someone and the group's lag is 0.</summary>
    private static async Task WaitHandledAsync(string database, IReadOnlyList<GroupMemberProcess> members, int count, IReadOnlyList<GroupMemberProcess.Handled>? alreadyHandled = null)
    {
        await WaitUntilAsync(() => members.SelectMany(m => m.HandledEvents).Concat(alreadyHandled ?? []).Select(h => (h.Key, h.Sequence)).Distinct().Count() >= count);
        await using var log = new SqliteEventLog($"Data Source={database}");
        var admin = new DurableLogAdmin(log);
        using var timeout = new CancellationTokenSource(Patience);
        while (await admin.GetLagAsync("group", timeout.Token) > 0)
            await Task.Delay(20, timeout.Token);
    }

    /// <summary>The warnings and errors the members logged (lease changes, failed reads or commits), for a failure's message.</summary>
    private static string WhatTheyLogged(IEnumerable<GroupMemberProcess> members)
        => "What the members logged: " + string.Join(" | ", members.SelectMany(m => m.Lines
            .Where(l => l.StartsWith("log ", StringComparison.Ordinal) || l.StartsWith("owns [", StringComparison.Ordinal))
            .Select(l => $"{m.ProcessId}: {l}")).Take(60));

    /// <summary>
    /// Freezes <paramref name="member"/> at a moment it holds no write transaction on the SQLite file. SQLite's write lock
    /// belongs to the process that took it: a process frozen inside a write transaction (a commit, a heartbeat) keeps
    /// every other process from writing until it runs again, so no other member could take its partitions. That is
    /// SQLite on one machine, not what the scenario tests (fencing of an owner paused past its lease), so when the
    /// file's write lock stays taken the member is thawed for a moment and frozen again.
    /// </summary>
    private static async Task PauseOutsideAWriteAsync(GroupMemberProcess member, string database)
    {
        for (var attempt = 1; ; attempt++)
        {
            member.Pause();
            if (await CanWriteAsync(database))
                return;
            if (attempt == 20)
                throw new InvalidOperationException("The paused member held the SQLite file's write lock at each of 20 freezes.");
            member.Resume();
            await Task.Delay(20);
        }
    }

    /// <summary>Whether a write transaction can begin on the file within 2 s (any running writer ends well before).</summary>
    private static async Task<bool> CanWriteAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database};Pooling=False;Default Timeout=2");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "BEGIN IMMEDIATE; ROLLBACK;";
        try
        {
            await command.ExecuteNonQueryAsync();
            return true;
        }
        catch (SqliteException exception) when (exception.SqliteErrorCode == 5) // SQLITE_BUSY
        {
            return false;
        }
    }

    private static async Task<Dictionary<int, long>> OffsetsAsync(string database)
    {
        await using var log = new SqliteEventLog($"Data Source={database}");
        return (await log.Checkpoints.GetOffsetsAsync("group", CancellationToken.None)).ToDictionary(o => o.Partition, o => o.Position);
    }

    private static async Task<Dictionary<int, long>> HeadsAsync(string database)
    {
        await using var log = new SqliteEventLog($"Data Source={database}");
        return (await log.Stream.GetBoundsAsync(CancellationToken.None)).ToDictionary(b => b.Partition, b => b.Last);
    }
}
