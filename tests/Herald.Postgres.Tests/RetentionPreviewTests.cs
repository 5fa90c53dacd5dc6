namespace Herald.Postgres.Tests;

/// <summary>The retention preview (what <c>herald retention apply --dry-run</c> shows) agrees with retention itself.</summary>
public sealed class RetentionPreviewTests : IAsyncLifetime
{
    private readonly string _schema = PostgresServer.NewSchema("preview");

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);

    [Fact]
    public async Task PreviewRetentionAsync_SaysPerPartitionWhatApplyThenRemoves_AndRemovesNothing()
    {
        await using var log = await OpenAsync(4);
        // Whole milliseconds: the event 25 minutes old is then exactly at the cutoff, and kept.
        var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        for (var i = 0; i < 40; i++)
            await log.Stream.AppendAsync([new EventEnvelope(Guid.CreateVersion7(), "t", 1, now.AddMinutes(i - 40), $"k{i % 9}", null, "{}"u8.ToArray())], CancellationToken.None);
        var policy = new RetentionPolicy { MaxAge = TimeSpan.FromMinutes(25), MaxEvents = 30 };

        var preview = await log.PreviewRetentionAsync(policy, now, CancellationToken.None);

        Assert.Equal(40, (await log.Stream.GetBoundsAsync(CancellationToken.None)).Sum(b => b.Retained));
        Assert.Equal([0, 1, 2, 3], preview.Select(c => c.Partition));
        Assert.Equal(15, preview.Sum(c => c.Count)); // the 15 older than 25 minutes (more than the 10 beyond 30 events)
        Assert.Equal(15, await log.ApplyRetentionAsync(policy, now, CancellationToken.None));
        var bounds = await log.Stream.GetBoundsAsync(CancellationToken.None);
        // Each partition started at 1, so what apply removed from it is positions 1 to First - 1.
        Assert.Equal(bounds.Select(b => new RetentionCut(b.Partition, b.First - 1, b.First - 1)), preview);
    }

    [Fact]
    public async Task PreviewRetentionAsync_PolicyThatKeepsEverything_RemovesNothingAnywhere()
    {
        await using var log = await OpenAsync(2);
        var now = DateTimeOffset.UtcNow;
        await log.Stream.AppendAsync([new EventEnvelope(Guid.CreateVersion7(), "t", 1, now, "a", null, "{}"u8.ToArray())], CancellationToken.None);

        var preview = await log.PreviewRetentionAsync(new RetentionPolicy(), now, CancellationToken.None);

        Assert.Equal([new RetentionCut(0, 0, 0), new RetentionCut(1, 0, 0)], preview);
    }

    private Task<PostgresEventLog> OpenAsync(int partitions)
        => PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = PostgresServer.ConnectionStringFor(_schema), Schema = _schema, Partitions = partitions, Notifications = false });
}
