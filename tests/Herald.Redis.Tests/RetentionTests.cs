using Microsoft.Extensions.Logging;

namespace Herald.Redis.Tests;

/// <summary>
/// Retention on Redis (XTRIM MINID per stream): by default it never passes the smallest offset a consumer committed in
/// a partition, and says so; with <see cref="RedisOptions.RetentionWaitsForConsumers"/> false it follows the policy alone
/// and a consumer left behind is reported, as on SQLite, never skipped silently.
/// </summary>
public sealed class RetentionTests
{
    private const int RetentionWaits = 105;
    private const int BehindRetention = 4;

    [Fact]
    public async Task ByDefault_RetentionStopsAtTheSmallestCommittedOffset_AndLogsThatItWaits()
    {
        var lines = new LogLines();
        var prefix = TestRedis.NewPrefix("retention");
        try
        {
            await using var log = new RedisEventLog(new RedisOptions { Configuration = TestRedis.Configuration, KeyPrefix = prefix, Partitions = 1 }, lines);
            await log.Stream.AppendAsync([.. Enumerable.Range(0, 10).Select(_ => Envelope())], CancellationToken.None);
            var lease = (await log.Leases.TryAcquireAsync("slow", 0, "m", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), CancellationToken.None))!;
            await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 3, []), CancellationToken.None);

            var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 0 }, DateTimeOffset.UtcNow, CancellationToken.None);

            Assert.Equal(3, removed);
            Assert.Equal(new PartitionBounds(0, 4, 10), Assert.Single(await log.Stream.GetBoundsAsync(CancellationToken.None)));
            var line = Assert.Single(lines.Lines, l => l.EventId == RetentionWaits);
            Assert.Contains("waits for consumer slow at offset 3: 7 event(s)", line.Message, StringComparison.Ordinal);
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(prefix);
        }
    }

    [Fact]
    public async Task PreviewRetentionAsync_SaysPerPartitionWhatApplyThenRemoves_HeldBackAsApplyIs_AndRemovesNothing()
    {
        var prefix = TestRedis.NewPrefix("preview");
        try
        {
            await using var log = new RedisEventLog(new RedisOptions { Configuration = TestRedis.Configuration, KeyPrefix = prefix, Partitions = 4 }, new LogLines());
            var now = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
            for (var i = 0; i < 40; i++)
                await log.Stream.AppendAsync([new EventEnvelope(Guid.CreateVersion7(), "t", 1, now.AddMinutes(i - 40), $"k{i % 9}", null, "{}"u8.ToArray())], CancellationToken.None);
            // A consumer that committed 1 in partition 0 holds that partition back to 1, in the preview as in apply.
            var lease = (await log.Leases.TryAcquireAsync("slow", 0, "m", now, TimeSpan.FromSeconds(10), CancellationToken.None))!;
            await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 1, []), CancellationToken.None);
            var policy = new RetentionPolicy { MaxAge = TimeSpan.FromMinutes(25), MaxEvents = 30 };

            var preview = await log.PreviewRetentionAsync(policy, now, CancellationToken.None);

            Assert.Equal(40, (await log.Stream.GetBoundsAsync(CancellationToken.None)).Sum(b => b.Retained));
            Assert.Equal([0, 1, 2, 3], preview.Select(c => c.Partition));
            Assert.Equal(new RetentionCut(0, 1, 1), preview[0]);
            var removed = await log.ApplyRetentionAsync(policy, now, CancellationToken.None);
            Assert.Equal(preview.Sum(c => c.Count), removed);
            var bounds = await log.Stream.GetBoundsAsync(CancellationToken.None);
            Assert.Equal(bounds.Select(b => new RetentionCut(b.Partition, b.First - 1, b.First - 1)), preview);
            // Applied: what is left of the cut is what the consumer holds back, already counted; nothing more to remove.
            Assert.All(await log.PreviewRetentionAsync(policy, now, CancellationToken.None), c => Assert.Equal(0, c.Count));
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(prefix);
        }
    }

    [Fact]
    public async Task WhenRetentionDoesNotWait_AConsumerLeftBehind_IsReported_InTheLogAndItsStatus_NotSkipped()
    {
        var prefix = TestRedis.NewPrefix("behind");
        try
        {
            await using (var first = await RedisHost.StartAsync(TestRedis.Configuration, prefix: prefix))
            {
                for (var i = 0; i < 10; i++)
                    await first.Bus.PublishAsync(new Noted("one-key", i));
                await first.Received.WaitForAsync(10, TimeSpan.FromSeconds(30));
            }
            int partition;
            await using (var publisher = await RedisHost.StartAsync(TestRedis.Configuration, startConsumers: false, prefix: prefix))
            {
                for (var i = 10; i < 20; i++)
                    await publisher.Bus.PublishAsync(new Noted("one-key", i));
                partition = Partitioning.PartitionOf("one-key", 2);
                await using var log = new RedisEventLog(new RedisOptions
                {
                    Configuration = TestRedis.Configuration,
                    KeyPrefix = prefix,
                    RetentionWaitsForConsumers = false,
                });
                Assert.Equal(20, await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 0 }, DateTimeOffset.UtcNow, CancellationToken.None));
            }

            await using var second = await RedisHost.StartAsync(TestRedis.Configuration, prefix: prefix);

            var expected = $"redis-noted is behind retention in partition {partition}";
            await second.Logs.WaitForAsync(BehindRetention, TimeSpan.FromSeconds(30), expected);
            Assert.Equal(LogLevel.Error, second.Logs.Lines.First(l => l.EventId == BehindRetention && l.Message.Contains(expected, StringComparison.Ordinal)).Level);
            var status = (await second.Admin.GetPartitionsAsync("redis-noted"))[partition];
            Assert.True(status.BehindRetention);
            Assert.Equal(10, status.Offset);
            Assert.Empty(second.Received.Events);
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(prefix);
        }
    }

    private static EventEnvelope Envelope()
        => new(Guid.CreateVersion7(), "redis-test.raw", 1, DateTimeOffset.UtcNow, "k", null, "{}"u8.ToArray());
}
