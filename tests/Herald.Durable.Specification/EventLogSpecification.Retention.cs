namespace Herald.Durable.Specification;

public abstract partial class EventLogSpecification
{
    [Fact]
    public async Task Retention_ByCount_KeepsTheNewestEventsOfTheWholeLog_AndEachPartitionKeepsAnUnbrokenTail()
    {
        var log = await NewLogAsync(partitions: 3);
        var envelopes = Enumerable.Range(0, 30).Select(i => Envelope(key: $"k{i % 5}", payload: $$"""{"n":{{i}}}""")).ToArray();
        for (var i = 0; i < envelopes.Length; i += 6)
            await log.Stream.AppendAsync(envelopes[i..(i + 6)], CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 10 }, Time.GetUtcNow(), CancellationToken.None);

        Assert.Equal(20, removed);
        var kept = new List<EventEnvelope>();
        foreach (var bounds in await log.Stream.GetBoundsAsync(CancellationToken.None))
        {
            var stored = await ReadAllAsync(log, bounds.Partition);
            Assert.Equal(stored.Count == 0 ? bounds.Last + 1 : stored[0].Position, bounds.First);
            Assert.Equal(Enumerable.Range((int)bounds.First, stored.Count).Select(p => (long)p), stored.Select(e => e.Position));
            kept.AddRange(stored);
        }
        Assert.Equal(envelopes[20..].Select(e => e.Id).Order(), kept.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Retention_ByAge_RemovesTheOldEvents_InAppendOrder()
    {
        var log = await NewLogAsync(partitions: 2);
        var envelopes = Enumerable.Range(0, 10).Select(i => Envelope(key: $"k{i}", occurredAt: Start.AddHours(i))).ToArray();
        await log.Stream.AppendAsync(envelopes, CancellationToken.None);

        var removed = await log.ApplyRetentionAsync(new RetentionPolicy { MaxAge = TimeSpan.FromHours(3.5) }, Start.AddHours(9), CancellationToken.None);

        Assert.Equal(6, removed);
        var kept = new List<EventEnvelope>();
        for (var partition = 0; partition < 2; partition++)
            kept.AddRange(await ReadAllAsync(log, partition));
        Assert.Equal(envelopes[6..].Select(e => e.Id).Order(), kept.Select(e => e.Id).Order());
    }

    [Fact]
    public async Task Retention_OfEverything_EmptiesTheLog_AndPositionsAreNeverGivenAgain()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope(), Envelope()], CancellationToken.None);

        Assert.Equal(3, await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 0 }, Time.GetUtcNow(), CancellationToken.None));

        Assert.Equal(new PartitionBounds(0, 4, 3), Assert.Single(await log.Stream.GetBoundsAsync(CancellationToken.None)));
        Assert.Equal(new LogPosition(0, 4), Assert.Single(await log.Stream.AppendAsync([Envelope()], CancellationToken.None)));
    }

    [Fact]
    public async Task Retention_RemovesTheInboxMarksOfRemovedEvents_ButKeepsThoseADeadLetterReplayNeeds()
    {
        var log = await NewLogAsync(partitions: 1);
        var kept = Envelope("spec.kept");
        var lettered = Envelope("spec.lettered");
        var removedOnly = Envelope("spec.removed");
        await log.Stream.AppendAsync([removedOnly, lettered, kept], CancellationToken.None);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);
        var billing = await AcquireAsync(log, "billing", 0);
        await log.Checkpoints.CommitAsync(new ProgressCommit(billing, 3, [.. page.Envelopes.Select(e => new InboxMark(e.Id, e.Position))]), CancellationToken.None);
        var shipping = await AcquireAsync(log, "shipping", 0);
        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, shipping, 0, page.Envelopes, CancellationToken.None))
        {
            batch.Advance(1);
            await batch.DeadLetterAsync(page.Envelopes[1], "failed", null, 5, Start, CancellationToken.None);
        }

        await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 1 }, Time.GetUtcNow(), CancellationToken.None);

        var handled = await log.Checkpoints.FindHandledAsync("billing", [removedOnly, lettered, kept], CancellationToken.None);
        Assert.Equal(new[] { lettered.Id, kept.Id }.Order(), handled.Order());
    }

    [Fact]
    public async Task Retention_ThatKeepsEverything_RemovesNothing_AndNegativeLimitsThrow()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope()], CancellationToken.None);

        Assert.Equal(0, await log.ApplyRetentionAsync(new RetentionPolicy(), Time.GetUtcNow(), CancellationToken.None));
        Assert.Equal(0, await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = 5, MaxAge = TimeSpan.FromDays(1) }, Time.GetUtcNow(), CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.ApplyRetentionAsync(new RetentionPolicy { MaxEvents = -1 }, Start, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.ApplyRetentionAsync(new RetentionPolicy { MaxAge = TimeSpan.FromSeconds(-1) }, Start, CancellationToken.None));
        Assert.Equal(2, (await ReadAllAsync(log, 0)).Count);
    }
}
