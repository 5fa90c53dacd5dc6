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
}
