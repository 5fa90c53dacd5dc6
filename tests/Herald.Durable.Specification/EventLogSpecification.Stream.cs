namespace Herald.Durable.Specification;

public abstract partial class EventLogSpecification
{
    [Fact]
    public async Task Partitions_AreTheCountTheLogWasCreatedWith()
    {
        var log = await NewLogAsync(partitions: 5);

        Assert.Equal(5, log.Stream.Partitions);
        Assert.Equal(Enumerable.Range(0, 5), (await log.Stream.GetBoundsAsync(CancellationToken.None)).Select(b => b.Partition));
    }

    [Fact]
    public async Task Append_PutsEachEnvelopeInItsKeysPartition_AtConsecutivePositions_InBatchOrder()
    {
        var log = await NewLogAsync(partitions: 4);
        var batch = Enumerable.Range(0, 40).Select(i => Envelope(key: $"order-{i % 7}", payload: $$"""{"n":{{i}}}""")).ToArray();

        var positions = await log.Stream.AppendAsync(batch, CancellationToken.None);

        Assert.Equal(batch.Length, positions.Count);
        for (var i = 0; i < batch.Length; i++)
            Assert.Equal(Partitioning.PartitionOf(batch[i].PartitionKey!, 4), positions[i].Partition);
        foreach (var partition in positions.GroupBy(p => p.Partition))
            Assert.Equal(Enumerable.Range(1, partition.Count()).Select(p => (long)p), partition.Select(p => p.Position));
        for (var partition = 0; partition < 4; partition++)
        {
            var stored = await ReadAllAsync(log, partition);
            var expected = batch.Where((_, i) => positions[i].Partition == partition).Select(e => e.Id);
            Assert.Equal(expected, stored.Select(e => e.Id));
            Assert.All(stored, e => Assert.Equal(partition, e.Partition));
        }
    }

    [Fact]
    public async Task Append_KeylessEnvelopes_AreSpreadByTheHashOfTheirId()
    {
        var log = await NewLogAsync(partitions: 4);
        var batch = Enumerable.Range(0, 200).Select(_ => Envelope()).ToArray();

        var positions = await log.Stream.AppendAsync(batch, CancellationToken.None);

        for (var i = 0; i < batch.Length; i++)
            Assert.Equal(Partitioning.PartitionOf(null, batch[i].Id, 4), positions[i].Partition);
        Assert.Equal(4, positions.Select(p => p.Partition).Distinct().Count());
    }

    [Fact]
    public async Task Append_LaterBatches_ContinueEachPartitionsPositions()
    {
        var log = await NewLogAsync(partitions: 2);
        var key = KeyIn(1, 2);
        await log.Stream.AppendAsync([Envelope(key: key), Envelope(key: key)], CancellationToken.None);

        var next = await log.Stream.AppendAsync([Envelope(key: key), Envelope(key: KeyIn(0, 2))], CancellationToken.None);

        Assert.Equal([new LogPosition(1, 3), new LogPosition(0, 1)], next);
    }

    [Fact]
    public async Task Append_EmptyBatch_ReturnsNoPositionsAndWritesNothing()
    {
        var log = await NewLogAsync();

        Assert.Empty(await log.Stream.AppendAsync([], CancellationToken.None));

        Assert.All(await log.Stream.GetBoundsAsync(CancellationToken.None), b => Assert.Equal((b.First, b.Last), (1L, 0L)));
    }

    [Fact]
    public async Task Read_RoundTripsEveryField()
    {
        var log = await NewLogAsync(partitions: 3);
        var headers = new Dictionary<string, string> { ["traceparent"] = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", ["correlation-id"] = "c-1" };
        var sent = Envelope("spec.shipped", "parcel-9", """{"parcel":"P-9","weight":1.25,"tags":["fragile"]}""", Start.AddTicks(12_345_678), headers, version: 3);

        var position = (await log.Stream.AppendAsync([sent], CancellationToken.None))[0];
        var read = Assert.Single((await log.Stream.ReadAsync(position.Partition, 0, 10, null, CancellationToken.None)).Envelopes);

        Assert.Equal(sent.Id, read.Id);
        Assert.Equal("spec.shipped", read.Type);
        Assert.Equal(3, read.Version);
        Assert.Equal("parcel-9", read.PartitionKey);
        Assert.Equal(headers, read.Headers);
        Assert.Equal(Text(sent), Text(read));
        Assert.Equal(position, read.LogPosition);
        Assert.InRange(read.OccurredAt, sent.OccurredAt.AddMilliseconds(-1), sent.OccurredAt);
        Assert.Equal(TimeSpan.Zero, read.OccurredAt.Offset);
    }

    [Fact]
    public async Task Read_ReturnsThePartitionAfterThePosition_AscendingAndAtMostMaxCount_WithHowFarItLooked()
    {
        var log = await NewLogAsync(partitions: 2);
        var key = KeyIn(0, 2);
        await log.Stream.AppendAsync([.. Enumerable.Range(0, 10).Select(i => Envelope(key: key, payload: $$"""{"n":{{i}}}"""))], CancellationToken.None);

        var full = await log.Stream.ReadAsync(0, 3, 4, null, CancellationToken.None);
        var rest = await log.Stream.ReadAsync(0, 7, 10, null, CancellationToken.None);
        var none = await log.Stream.ReadAsync(1, 0, 10, null, CancellationToken.None);

        Assert.Equal([4L, 5, 6, 7], full.Envelopes.Select(e => e.Position));
        Assert.Equal(7, full.ScannedTo);
        Assert.Equal([8L, 9, 10], rest.Envelopes.Select(e => e.Position));
        Assert.Equal(10, rest.ScannedTo);
        Assert.Equal(new PartitionBounds(0, 1, 10), rest.Bounds);
        Assert.Empty(none.Envelopes);
        Assert.Equal(new PartitionBounds(1, 1, 0), none.Bounds);
    }

    [Fact]
    public async Task Read_WithTypes_ReturnsOnlyThoseTypes_InPositionOrder_AndScannedToCoversWhatWasPassed()
    {
        var log = await NewLogAsync(partitions: 1);
        string[] types = ["spec.a", "spec.b", "spec.c"];
        await log.Stream.AppendAsync([.. Enumerable.Range(0, 30).Select(i => Envelope(types[i % 3], payload: $$"""{"n":{{i}}}"""))], CancellationToken.None);

        var page = await log.Stream.ReadAsync(0, 0, 5, ["spec.a", "spec.c"], CancellationToken.None);
        var tail = await log.Stream.ReadAsync(0, 25, 100, ["spec.b"], CancellationToken.None);
        var nothing = await log.Stream.ReadAsync(0, 0, 100, ["spec.none"], CancellationToken.None);

        // Positions 1..30 hold a, b, c, a, b, c ...: a and c are 1, 3, 4, 6, 7.
        Assert.Equal([1L, 3, 4, 6, 7], page.Envelopes.Select(e => e.Position));
        Assert.Equal(7, page.ScannedTo);
        Assert.Equal([26L, 29], tail.Envelopes.Select(e => e.Position));
        Assert.Equal(30, tail.ScannedTo);
        Assert.Empty(nothing.Envelopes);
        Assert.Equal(30, nothing.ScannedTo);
    }

    [Fact]
    public async Task Read_OfManyTypes_NeverMissesAnEnvelopeBelowTheLastOneItReturns()
    {
        var log = await NewLogAsync(partitions: 1);
        // Uneven runs of each type, so the per-type pages end at different positions.
        var types = new List<string>();
        for (var i = 0; i < 120; i++)
            types.Add(i % 11 < 7 ? "spec.a" : i % 11 < 10 ? "spec.b" : "spec.c");
        await log.Stream.AppendAsync([.. types.Select(t => Envelope(t))], CancellationToken.None);

        var seen = new List<long>();
        long after = 0;
        while (true)
        {
            var page = await log.Stream.ReadAsync(0, after, 7, ["spec.b", "spec.c"], CancellationToken.None);
            seen.AddRange(page.Envelopes.Select(e => e.Position));
            if (page.Envelopes.Count == 0)
                break;
            after = page.ScannedTo;
        }

        var expected = types.Select((t, i) => (t, Position: (long)i + 1)).Where(x => x.t != "spec.a").Select(x => x.Position);
        Assert.Equal(expected, seen);
    }

    [Fact]
    public async Task Read_BadArguments_Throw()
    {
        var log = await NewLogAsync(partitions: 2);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Stream.ReadAsync(2, 0, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Stream.ReadAsync(-1, 0, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Stream.ReadAsync(0, 0, 0, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Stream.ReadAsync(0, -1, 10, null, CancellationToken.None));
    }

    [Fact]
    public async Task FindPosition_IsThePositionBeforeThePartitionsFirstEnvelopeAtOrAfterTheTime()
    {
        var log = await NewLogAsync(partitions: 2);
        var key = KeyIn(1, 2);
        await log.Stream.AppendAsync([.. Enumerable.Range(0, 5).Select(i => Envelope(key: key, occurredAt: Start.AddMinutes(i)))], CancellationToken.None);

        Assert.Equal(2, await log.Stream.FindPositionAsync(1, Start.AddMinutes(2), CancellationToken.None));
        Assert.Equal(3, await log.Stream.FindPositionAsync(1, Start.AddMinutes(2).AddSeconds(1), CancellationToken.None));
        Assert.Equal(0, await log.Stream.FindPositionAsync(1, Start.AddDays(-1), CancellationToken.None));
        Assert.Equal(5, await log.Stream.FindPositionAsync(1, Start.AddDays(1), CancellationToken.None));
        Assert.Equal(0, await log.Stream.FindPositionAsync(0, Start, CancellationToken.None));
    }

    [Fact]
    public async Task ConcurrentAppendsAndReads_EachPartitionHoldsEveryEnvelopeOnce_AtPositionsWithoutGaps()
    {
        var log = await NewLogAsync(partitions: 4);
        var appended = new System.Collections.Concurrent.ConcurrentBag<Guid>();
        var writers = Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var batch = 0; batch < 25; batch++)
            {
                var envelopes = Enumerable.Range(0, 8).Select(i => Envelope(key: $"k{(writer * 31) + i}")).ToArray();
                await log.Stream.AppendAsync(envelopes, CancellationToken.None);
                foreach (var envelope in envelopes)
                    appended.Add(envelope.Id);
            }
        })).ToArray();
        var reader = Task.Run(async () =>
        {
            while (!writers.All(w => w.IsCompleted))
                await log.Stream.ReadAsync(0, 0, 50, null, CancellationToken.None);
        });
        await Task.WhenAll([.. writers, reader]);

        var all = new List<EventEnvelope>();
        for (var partition = 0; partition < 4; partition++)
        {
            var stored = await ReadAllAsync(log, partition);
            Assert.Equal(Enumerable.Range(1, stored.Count).Select(p => (long)p), stored.Select(e => e.Position));
            all.AddRange(stored);
        }
        Assert.Equal(appended.Order(), all.Select(e => e.Id).Order());
    }
}
