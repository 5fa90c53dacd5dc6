namespace Herald.Sqlite.Tests;

public sealed class OffsetTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task GetOffsetAsync_ConsumerThatNeverCommitted_IsNull()
    {
        var log = _database.Open();

        Assert.Null(await log.GetOffsetAsync("search-index", CancellationToken.None));
    }

    [Fact]
    public async Task SetOffsetAsync_MovesForwardAndBackward_PerConsumer()
    {
        var log = _database.Open();

        await log.SetOffsetAsync("search-index", 7, CancellationToken.None);
        await log.SetOffsetAsync("risk-log", 3, CancellationToken.None);
        Assert.Equal(7, await log.GetOffsetAsync("search-index", CancellationToken.None));

        await log.SetOffsetAsync("search-index", 2, CancellationToken.None);

        Assert.Equal(2, await log.GetOffsetAsync("search-index", CancellationToken.None));
        Assert.Equal(3, await log.GetOffsetAsync("risk-log", CancellationToken.None));
    }

    [Fact]
    public async Task SetOffsetAsync_BadArguments_Throw()
    {
        var log = _database.Open();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.SetOffsetAsync("search-index", -1, CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<ArgumentException>(() => log.SetOffsetAsync(" ", 1, CancellationToken.None).AsTask());
    }
}
