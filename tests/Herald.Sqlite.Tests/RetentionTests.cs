namespace Herald.Sqlite.Tests;

public sealed class RetentionTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ApplyRetentionAsync_ByCount_KeepsTheNewestEnvelopes()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(10), CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 4 }, CancellationToken.None);

        Assert.Equal(6, removed);
        Assert.Equal([7L, 8L, 9L, 10L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
        Assert.Equal(new LogBounds(7, 10), await log.GetBoundsAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ApplyRetentionAsync_ByCount_AcrossSeveralChunks_RemovesEveryOldEnvelope()
    {
        var log = _database.Open();
        for (var i = 0; i < 12; i++)
            await log.AppendAsync(Envelopes.Batch(1000), CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 500 }, CancellationToken.None);

        Assert.Equal(11_500, removed);
        Assert.Equal(new LogBounds(11_501, 12_000), await log.GetBoundsAsync(CancellationToken.None));
        Assert.Equal(500, _database.Scalar("SELECT count(*) FROM herald_events"));
    }

    [Fact]
    public async Task ApplyRetentionAsync_ByAge_RemovesTheOldPrefixOfTheLog()
    {
        var log = _database.Open();
        var now = DateTimeOffset.UtcNow;
        await log.AppendAsync(
        [
            Envelopes.Create(occurredAt: now.AddDays(-10)),
            Envelopes.Create(occurredAt: now.AddDays(-9)),
            Envelopes.Create(occurredAt: now.AddMinutes(-1)),
            Envelopes.Create(occurredAt: now.AddDays(-20)), // old, but after a young one: kept, the range stays unbroken
            Envelopes.Create(occurredAt: now),
        ], CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxAge = TimeSpan.FromDays(7) }, CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Equal([3L, 4L, 5L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
    }

    [Fact]
    public async Task ApplyRetentionAsync_EverythingTooOld_EmptiesTheLog_AndPositionsAreNeverGivenAgain()
    {
        var log = _database.Open();
        await log.AppendAsync([Envelopes.Create(occurredAt: DateTimeOffset.UtcNow.AddDays(-3)), Envelopes.Create(occurredAt: DateTimeOffset.UtcNow.AddDays(-2))], CancellationToken.None);

        Assert.Equal(2, await log.ApplyRetentionAsync(new RetentionPolicy { MaxAge = TimeSpan.FromDays(1) }, CancellationToken.None));
        Assert.Equal(new LogBounds(3, 2), await log.GetBoundsAsync(CancellationToken.None));

        Assert.Equal([3L], await log.AppendAsync(Envelopes.Batch(1), CancellationToken.None));
    }

    [Fact]
    public async Task ApplyRetentionAsync_KeepsEverything_RemovesNothing()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(3), CancellationToken.None);

        Assert.Equal(0, await log.ApplyRetentionAsync(new RetentionPolicy(), CancellationToken.None));
        Assert.Equal(3, (await Envelopes.ReadAllAsync(log)).Count);
    }

    [Fact]
    public async Task ApplyRetentionAsync_RemovesInboxMarksOfRemovedEnvelopes_ButKeepsThoseADeadLetterReplayNeeds()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(4), CancellationToken.None);
        var envelopes = await Envelopes.ReadAllAsync(log);
        foreach (var envelope in envelopes)
        {
            await using var scope = await log.BeginHandlingAsync("a", envelope, CancellationToken.None);
            await scope.CompleteAsync(CancellationToken.None);
        }
        // Consumer "b" dead-lettered the second envelope: a replay would append it again, and "a" must still skip it.
        await log.AddDeadLetterAsync(new DeadLetter(0, "b", envelopes[1], "failed", null, 3, DateTimeOffset.UtcNow), CancellationToken.None);

        await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 1 }, CancellationToken.None);

        Assert.Equal(2, _database.Scalar("SELECT count(*) FROM herald_inbox"));
        await using var replay = await log.BeginHandlingAsync("a", envelopes[1].WithPosition(99), CancellationToken.None);
        Assert.True(replay.AlreadyHandled);
    }

    [Fact]
    public async Task ApplyRetentionAsync_NegativeLimits_Throw()
    {
        var log = _database.Open();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = -1 }, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ApplyRetentionAsync(new RetentionPolicy { MaxAge = TimeSpan.FromHours(-1) }, CancellationToken.None).AsTask());
    }
}
