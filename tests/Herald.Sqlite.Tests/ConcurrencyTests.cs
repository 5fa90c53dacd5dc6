namespace Herald.Sqlite.Tests;

public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const int Appenders = 4;
    private const int EnvelopesPerAppender = 10_000;
    private const int BatchSize = 100;
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ConcurrentAppendsWhileReadersRead_PositionsStrictlyIncrease_NoneSkippedNoneDuplicated()
    {
        var log = _database.Open();
        const int total = Appenders * EnvelopesPerAppender;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));

        var appenders = Enumerable.Range(0, Appenders).Select(appender => Task.Run(async () =>
        {
            var positions = new List<long>(EnvelopesPerAppender);
            var ids = new List<Guid>(EnvelopesPerAppender);
            for (var sent = 0; sent < EnvelopesPerAppender; sent += BatchSize)
            {
                var batch = Envelopes.Batch(BatchSize, $"test.appender-{appender}");
                positions.AddRange(await log.AppendAsync(batch, timeout.Token));
                ids.AddRange(batch.Select(e => e.Id));
            }
            return (Positions: positions, Ids: ids);
        })).ToArray();

        // Readers follow the log as a consumer does: each read continues after the last position seen.
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            var seen = new List<long>(total);
            var last = 0L;
            while (last < total)
            {
                timeout.Token.ThrowIfCancellationRequested();
                var batch = await log.ReadAsync(last, 500, timeout.Token);
                if (batch.Count == 0)
                    await Task.Yield();
                foreach (var envelope in batch)
                {
                    seen.Add(envelope.Position);
                    last = envelope.Position;
                }
            }
            return seen;
        })).ToArray();

        var appended = await Task.WhenAll(appenders);
        var followed = await Task.WhenAll(readers);

        foreach (var (positions, _) in appended)
            Assert.True(positions.Zip(positions.Skip(1)).All(pair => pair.First < pair.Second), "an appender's positions did not increase");
        var allPositions = appended.SelectMany(a => a.Positions).Order().ToArray();
        Assert.Equal(Enumerable.Range(1, total).Select(p => (long)p), allPositions);
        foreach (var seen in followed)
            Assert.Equal(Enumerable.Range(1, total).Select(p => (long)p), seen); // in order, nothing skipped, nothing twice

        var stored = await Envelopes.ReadAllAsync(log);
        Assert.Equal(total, stored.Count);
        Assert.Equal(appended.SelectMany(a => a.Ids).Order(), stored.Select(e => e.Id).Order());
        var byId = stored.ToDictionary(e => e.Id, e => e.Position);
        foreach (var (positions, ids) in appended)
            Assert.Equal(positions, ids.Select(id => byId[id]));
    }
}
