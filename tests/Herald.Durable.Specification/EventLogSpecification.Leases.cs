namespace Herald.Durable.Specification;

public abstract partial class EventLogSpecification
{
    private static readonly TimeSpan LeaseTime = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task TryAcquire_AFreePartition_GivesTheFirstEpoch_AndAnotherMemberIsRefusedWhileItIsHeld()
    {
        var log = await NewLogAsync(partitions: 2);

        var lease = await log.Leases.TryAcquireAsync("billing", 1, "member-a", Time.GetUtcNow(), LeaseTime, CancellationToken.None);
        var refused = await log.Leases.TryAcquireAsync("billing", 1, "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None);
        var otherPartition = await log.Leases.TryAcquireAsync("billing", 0, "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None);
        var otherConsumer = await log.Leases.TryAcquireAsync("shipping", 1, "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None);

        Assert.Equal(new LeaseToken("billing", 1, "member-a", 1), lease);
        Assert.Null(refused);
        Assert.NotNull(otherPartition);
        Assert.NotNull(otherConsumer);
        var stored = Assert.Single(await log.Leases.GetLeasesAsync("billing", CancellationToken.None), l => l.Partition == 1);
        Assert.Equal(new Lease("billing", 1, "member-a", Start + LeaseTime, 1), stored);
    }

    [Fact]
    public async Task TryAcquire_ByTheHolder_ExtendsItAtTheSameEpoch()
    {
        var log = await NewLogAsync(partitions: 1);
        var first = await AcquireAsync(log, "billing", 0);
        Time.Advance(TimeSpan.FromSeconds(5));

        var again = await AcquireAsync(log, "billing", 0);

        Assert.Equal(first, again);
        Assert.Equal(Start.AddSeconds(5) + LeaseTime, Assert.Single(await log.Leases.GetLeasesAsync("billing", CancellationToken.None)).ExpiresAt);
    }

    [Fact]
    public async Task AnExpiredLease_IsTakenByAnotherMember_AtTheNextEpoch_AndIsGoneFromTheOldOwnersRenewal()
    {
        var log = await NewLogAsync(partitions: 2);
        await AcquireAsync(log, "billing", 0, "member-a");
        await AcquireAsync(log, "billing", 1, "member-a");
        Time.Advance(LeaseTime - TimeSpan.FromSeconds(1));
        Assert.Null(await log.Leases.TryAcquireAsync("billing", 0, "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None));
        Time.Advance(TimeSpan.FromSeconds(1)); // exactly at the expiry: no longer held

        var taken = await log.Leases.TryAcquireAsync("billing", 0, "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None);
        var renewed = await log.Leases.RenewAsync("billing", "member-a", Time.GetUtcNow(), LeaseTime, CancellationToken.None);

        Assert.Equal(new LeaseToken("billing", 0, "member-b", 2), taken);
        // Partition 1 expired too, but nobody took it: member-a keeps it, at the same epoch.
        Assert.Equal([new LeaseToken("billing", 1, "member-a", 1)], renewed);
    }

    [Fact]
    public async Task Renew_ExtendsEveryLeaseOfTheOwner_AndKeepsThemFromExpiring()
    {
        var log = await NewLogAsync(partitions: 3);
        await AcquireAsync(log, "billing", 0, "member-a");
        await AcquireAsync(log, "billing", 2, "member-a");
        await AcquireAsync(log, "billing", 1, "member-b");

        for (var i = 0; i < 5; i++)
        {
            Time.Advance(TimeSpan.FromSeconds(10));
            Assert.Equal([0, 2], (await log.Leases.RenewAsync("billing", "member-a", Time.GetUtcNow(), LeaseTime, CancellationToken.None)).Select(l => l.Partition));
        }

        Assert.Null(await log.Leases.TryAcquireAsync("billing", 0, "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None));
        Assert.NotNull(await log.Leases.TryAcquireAsync("billing", 1, "member-c", Time.GetUtcNow(), LeaseTime, CancellationToken.None));
    }

    [Fact]
    public async Task Release_FreesThePartitionAtOnce_AndTheNextOwnerGetsTheNextEpoch()
    {
        var log = await NewLogAsync(partitions: 1);
        var lease = await AcquireAsync(log, "billing", 0, "member-a");

        Assert.True(await log.Leases.ReleaseAsync(lease, CancellationToken.None));
        Assert.False(await log.Leases.ReleaseAsync(lease, CancellationToken.None));
        var stored = Assert.Single(await log.Leases.GetLeasesAsync("billing", CancellationToken.None));
        Assert.Null(stored.Owner);
        Assert.False(stored.IsHeldAt(Time.GetUtcNow()));

        var next = await AcquireAsync(log, "billing", 0, "member-b");
        Assert.Equal(2, next.Epoch);
        Assert.False(await log.Leases.ReleaseAsync(lease, CancellationToken.None));
        Assert.Empty(await log.Leases.RenewAsync("billing", "member-a", Time.GetUtcNow(), LeaseTime, CancellationToken.None));
    }

    [Fact]
    public async Task Heartbeat_ListsTheLiveMembersInIdOrder_ForgetsExpiredOnes_AndLeaveRemovesOne()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Leases.HeartbeatAsync("billing", "member-c", Time.GetUtcNow(), TimeSpan.FromSeconds(5), CancellationToken.None);
        await log.Leases.HeartbeatAsync("billing", "member-a", Time.GetUtcNow(), LeaseTime, CancellationToken.None);
        await log.Leases.HeartbeatAsync("shipping", "member-x", Time.GetUtcNow(), LeaseTime, CancellationToken.None);

        var members = await log.Leases.HeartbeatAsync("billing", "member-b", Time.GetUtcNow(), LeaseTime, CancellationToken.None);
        Assert.Equal(["member-a", "member-b", "member-c"], members.Select(m => m.Member));
        Assert.Equal(Start + LeaseTime, members[0].ExpiresAt);

        Time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(["member-a", "member-b"], (await log.Leases.GetMembersAsync("billing", Time.GetUtcNow(), CancellationToken.None)).Select(m => m.Member));

        await log.Leases.LeaveAsync("billing", "member-a", CancellationToken.None);
        Assert.Equal(["member-b"], (await log.Leases.GetMembersAsync("billing", Time.GetUtcNow(), CancellationToken.None)).Select(m => m.Member));
        Assert.Equal(["member-x"], (await log.Leases.GetMembersAsync("shipping", Time.GetUtcNow(), CancellationToken.None)).Select(m => m.Member));
    }

    [Fact]
    public async Task ManyMembersRacingForOnePartition_ExactlyOneGetsIt()
    {
        var log = await NewLogAsync(partitions: 1);
        var now = Time.GetUtcNow();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
            await log.Leases.TryAcquireAsync("billing", 0, $"member-{i}", now, LeaseTime, CancellationToken.None))));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(1, winner!.Epoch);
        Assert.Equal(winner.Owner, Assert.Single(await log.Leases.GetLeasesAsync("billing", CancellationToken.None)).Owner);
    }

    [Fact]
    public async Task Leases_BadArguments_Throw()
    {
        var log = await NewLogAsync(partitions: 1);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await log.Leases.TryAcquireAsync("", 0, "member-a", Start, LeaseTime, CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await log.Leases.TryAcquireAsync("billing", 0, " ", Start, LeaseTime, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Leases.TryAcquireAsync("billing", 0, "member-a", Start, TimeSpan.Zero, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Leases.TryAcquireAsync("billing", 1, "member-a", Start, LeaseTime, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Leases.HeartbeatAsync("billing", "member-a", Start, TimeSpan.FromSeconds(-1), CancellationToken.None));
    }
}
