namespace Herald.Sqlite.Tests;

public sealed class FindPositionTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task FindPositionAsync_ReturnsThePositionBeforeTheFirstEnvelopeAtOrAfterTheTime()
    {
        var log = _database.Open();
        var t = Envelopes.BaseTime;
        await log.AppendAsync(
        [
            Envelopes.Create(occurredAt: t),
            Envelopes.Create(occurredAt: t.AddSeconds(10)),
            Envelopes.Create(occurredAt: t.AddSeconds(20)),
        ], CancellationToken.None);

        Assert.Equal(0, await log.FindPositionAsync(t.AddSeconds(-5), CancellationToken.None));
        Assert.Equal(0, await log.FindPositionAsync(t, CancellationToken.None));
        Assert.Equal(1, await log.FindPositionAsync(t.AddSeconds(5), CancellationToken.None));
        Assert.Equal(1, await log.FindPositionAsync(t.AddSeconds(10), CancellationToken.None));
        Assert.Equal(2, await log.FindPositionAsync(t.AddSeconds(15), CancellationToken.None));
    }

    [Fact]
    public async Task FindPositionAsync_AfterEveryEnvelope_ReturnsTheLastPosition()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(3), CancellationToken.None);

        Assert.Equal(3, await log.FindPositionAsync(Envelopes.BaseTime.AddDays(1), CancellationToken.None));
    }

    [Fact]
    public async Task FindPositionAsync_EmptyLog_ReturnsZero()
    {
        var log = _database.Open();

        Assert.Equal(0, await log.FindPositionAsync(Envelopes.BaseTime, CancellationToken.None));
    }

    [Fact]
    public async Task FindPositionAsync_TimeWithinAMillisecond_ComparesWithTheStoredMillisecond()
    {
        var log = _database.Open();
        var t = Envelopes.BaseTime;
        // Stored as t + 1 ms (sub-millisecond ticks are dropped).
        await log.AppendAsync([Envelopes.Create(occurredAt: t), Envelopes.Create(occurredAt: t.AddMilliseconds(1).AddTicks(5000))], CancellationToken.None);

        Assert.Equal(1, await log.FindPositionAsync(t.AddTicks(1), CancellationToken.None));
        Assert.Equal(1, await log.FindPositionAsync(t.AddMilliseconds(1), CancellationToken.None));
        Assert.Equal(2, await log.FindPositionAsync(t.AddMilliseconds(1).AddTicks(1), CancellationToken.None));
    }

    [Fact]
    public async Task FindPositionAsync_OrdersByPositionNotByTime()
    {
        var log = _database.Open();
        var t = Envelopes.BaseTime;
        // A replayed dead letter keeps its old time at a new position.
        await log.AppendAsync([Envelopes.Create(occurredAt: t.AddSeconds(10)), Envelopes.Create(occurredAt: t)], CancellationToken.None);

        Assert.Equal(0, await log.FindPositionAsync(t.AddSeconds(5), CancellationToken.None));
    }
}
