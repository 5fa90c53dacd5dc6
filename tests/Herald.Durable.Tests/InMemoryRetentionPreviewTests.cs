namespace Herald.Durable.Tests;

/// <summary>What is particular to the in-memory log: its retention preview agrees with its retention.</summary>
public sealed class InMemoryRetentionPreviewTests
{
    [Fact]
    public async Task PreviewRetentionAsync_SaysPerPartitionWhatApplyThenRemoves_AndRemovesNothing()
    {
        var log = new InMemoryEventLog(3);
        var now = DateTimeOffset.UtcNow;
        for (var i = 0; i < 20; i++)
            await log.Stream.AppendAsync([new EventEnvelope(Guid.CreateVersion7(), "t", 1, now.AddMinutes(i - 20), $"k{i}", null, "{}"u8.ToArray())], CancellationToken.None);
        var policy = new RetentionPolicy { MaxEvents = 8 };

        var preview = await log.PreviewRetentionAsync(policy, now, CancellationToken.None);

        Assert.Equal(20, (await log.Stream.GetBoundsAsync(CancellationToken.None)).Sum(b => b.Retained));
        Assert.Equal(12, preview.Sum(c => c.Count));
        Assert.Equal(12, await log.ApplyRetentionAsync(policy, now, CancellationToken.None));
        var bounds = await log.Stream.GetBoundsAsync(CancellationToken.None);
        Assert.Equal(bounds.Select(b => new RetentionCut(b.Partition, b.First - 1, b.First - 1)), preview);
    }
}
