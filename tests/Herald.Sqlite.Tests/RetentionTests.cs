namespace Herald.Sqlite.Tests;

/// <summary>What is particular to retention on SQLite: removal in chunks, in append order (the contract is the specification's).</summary>
public sealed class RetentionTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ApplyRetentionAsync_ByCount_AcrossSeveralChunks_RemovesEveryOldEnvelope()
    {
        var log = _database.Open(o => o.Partitions = 3);
        for (var i = 0; i < 12; i++)
            await log.Stream.AppendAsync([.. Enumerable.Range(0, 1000).Select(j => Envelopes.Create(partitionKey: $"k{j % 17}"))], CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 500 }, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(11_500, removed);
        Assert.Equal(500, _database.Scalar("SELECT count(*) FROM herald_events"));
        Assert.Equal(11_501, _database.Scalar("SELECT min(seq) FROM herald_events"));
        foreach (var bounds in await log.Stream.GetBoundsAsync(CancellationToken.None))
            Assert.Equal(bounds.Last - bounds.First + 1, _database.Scalar($"SELECT count(*) FROM herald_events WHERE partition = {bounds.Partition}"));
    }

    [Fact]
    public async Task ApplyRetentionAsync_ByAge_RemovesThePrefixInAppendOrder_AnOldEventAfterAYoungOneIsKept()
    {
        var log = _database.Open();
        var now = DateTimeOffset.UtcNow;
        await log.Stream.AppendAsync(
        [
            Envelopes.Create(occurredAt: now.AddDays(-10)),
            Envelopes.Create(occurredAt: now.AddDays(-9)),
            Envelopes.Create(occurredAt: now.AddMinutes(-1)),
            Envelopes.Create(occurredAt: now.AddDays(-20)), // old, but after a young one: kept, the range stays unbroken
            Envelopes.Create(occurredAt: now),
        ], CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxAge = TimeSpan.FromDays(7) }, now, CancellationToken.None);

        Assert.Equal(2, removed);
        Assert.Equal([3L, 4L, 5L], (await Envelopes.ReadAllAsync(log)).Select(e => e.Position));
    }

    [Fact]
    public async Task PreviewRetentionAsync_SaysPerPartitionWhatApplyThenRemoves_AndRemovesNothing()
    {
        var log = _database.Open(o => o.Partitions = 4);
        // Whole milliseconds, the file's precision: the event 25 minutes old is then exactly at the cutoff, and kept.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        for (var i = 0; i < 40; i++)
            await log.Stream.AppendAsync([Envelopes.Create(partitionKey: $"k{i % 9}", occurredAt: now.AddMinutes(i - 40))], CancellationToken.None);
        var policy = new RetentionPolicy { MaxAge = TimeSpan.FromMinutes(25), MaxEvents = 30 };

        var preview = await log.PreviewRetentionAsync(policy, now, CancellationToken.None);

        Assert.Equal(40, _database.Scalar("SELECT count(*) FROM herald_events"));
        Assert.Equal([0, 1, 2, 3], preview.Select(c => c.Partition));
        Assert.Equal(15, preview.Sum(c => c.Count)); // the 15 older than 25 minutes (more than the 10 beyond 30 events)
        var removed = await log.ApplyRetentionAsync(policy, now, CancellationToken.None);
        Assert.Equal(15, removed);
        var bounds = await log.Stream.GetBoundsAsync(CancellationToken.None);
        // Each partition started at 1, so what apply removed from it is positions 1 to First - 1.
        Assert.Equal(bounds.Select(b => new RetentionCut(b.Partition, b.First - 1, b.First - 1)), preview);
    }

    [Fact]
    public async Task PreviewRetentionAsync_PolicyThatKeepsEverything_RemovesNothingAnywhere()
    {
        var log = _database.Open(o => o.Partitions = 2);
        await log.Stream.AppendAsync(Envelopes.Batch(10), CancellationToken.None);

        var preview = await log.PreviewRetentionAsync(new RetentionPolicy(), DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal([new RetentionCut(0, 0, 0), new RetentionCut(1, 0, 0)], preview);
    }
}
