namespace Herald.Durable.Specification;

public abstract partial class EventLogSpecification
{
    /// <summary>Dead-letters each of <paramref name="envelopes"/> (appended here) for <paramref name="consumer"/>, in order.</summary>
    private async Task<List<EventEnvelope>> DeadLetterAllAsync(IEventLog log, string consumer, params EventEnvelope[] envelopes)
    {
        var positions = await log.Stream.AppendAsync(envelopes, CancellationToken.None);
        var stored = new List<EventEnvelope>();
        foreach (var group in positions.Select((p, i) => (p, i)).GroupBy(x => x.p.Partition))
        {
            var lease = await log.Leases.TryAcquireAsync(consumer, group.Key, "member-a", Time.GetUtcNow(), LeaseTime, CancellationToken.None)
                        ?? throw new InvalidOperationException("partition taken");
            var offset = await OffsetAsync(log, consumer, group.Key) ?? 0;
            var page = await log.Stream.ReadAsync(group.Key, offset, 1000, null, CancellationToken.None);
            await using var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, offset, page.Envelopes, CancellationToken.None);
            foreach (var envelope in page.Envelopes.Where(e => envelopes.Any(sent => sent.Id == e.Id)))
            {
                await batch.DeadLetterAsync(envelope, $"reason {envelope.Type}", null, 3, Time.GetUtcNow(), CancellationToken.None);
                stored.Add(envelope);
            }
        }
        return stored;
    }

    [Fact]
    public async Task DeadLetters_AreListedOldestFirst_ByPage_AndFilteredByConsumerAndType()
    {
        var log = await NewLogAsync(partitions: 1);
        await DeadLetterAllAsync(log, "billing", Envelope("spec.a"), Envelope("spec.b"), Envelope("spec.a"));
        await DeadLetterAllAsync(log, "shipping", Envelope("spec.a"));

        var all = await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None);
        var firstPage = await log.DeadLetters.ListAsync(new DeadLetterQuery(MaxCount: 2), CancellationToken.None);
        var secondPage = await log.DeadLetters.ListAsync(new DeadLetterQuery(AfterId: firstPage[^1].Id, MaxCount: 2), CancellationToken.None);
        var billingA = await log.DeadLetters.ListAsync(new DeadLetterQuery("billing", "spec.a"), CancellationToken.None);

        Assert.Equal(4, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(pair => pair.First.Id < pair.Second.Id));
        Assert.Equal(["billing", "billing", "billing", "shipping"], all.Select(l => l.Consumer));
        Assert.Equal(all.Take(2).Select(l => l.Id), firstPage.Select(l => l.Id));
        Assert.Equal(all.Skip(2).Select(l => l.Id), secondPage.Select(l => l.Id));
        Assert.Equal([all[0].Id, all[2].Id], billingA.Select(l => l.Id));
        Assert.Equal(3, await log.DeadLetters.CountAsync(new DeadLetterQuery("billing"), CancellationToken.None));
        Assert.Equal(3, await log.DeadLetters.CountAsync(new DeadLetterQuery(Type: "spec.a"), CancellationToken.None));
        Assert.Equal(4, await log.DeadLetters.CountAsync(new DeadLetterQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task DeadLetter_IsAddressedById_AndDeleteRemovesOnlyIt()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelopes = await DeadLetterAllAsync(log, "billing", Envelope("spec.a", "k1", """{"id":1}"""), Envelope("spec.b"));
        var listed = await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None);

        var got = await log.DeadLetters.GetAsync(listed[0].Id, CancellationToken.None);

        Assert.NotNull(got);
        Assert.Equal(envelopes[0].Id, got.Envelope.Id);
        Assert.Equal("k1", got.Envelope.PartitionKey);
        Assert.Equal("""{"id":1}""", Text(got.Envelope));
        Assert.Equal("reason spec.a", got.Reason);
        Assert.Equal(3, got.Attempts);
        Assert.Null(await log.DeadLetters.GetAsync(listed[^1].Id + 1000, CancellationToken.None));
        Assert.True(await log.DeadLetters.DeleteAsync(listed[0].Id, CancellationToken.None));
        Assert.False(await log.DeadLetters.DeleteAsync(listed[0].Id, CancellationToken.None));
        Assert.Equal([listed[1].Id], (await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None)).Select(l => l.Id));
    }

    [Fact]
    public async Task Purge_RemovesTheMatchingLetters_AndSaysHowMany()
    {
        var log = await NewLogAsync(partitions: 2);
        await DeadLetterAllAsync(log, "billing", [.. Enumerable.Range(0, 12).Select(i => Envelope(i % 2 == 0 ? "spec.a" : "spec.b", $"k{i}"))]);
        await DeadLetterAllAsync(log, "shipping", Envelope("spec.a"));

        Assert.Equal(6, await log.DeadLetters.PurgeAsync(new DeadLetterQuery("billing", "spec.a"), CancellationToken.None));
        Assert.Equal(6, await log.DeadLetters.CountAsync(new DeadLetterQuery("billing"), CancellationToken.None));
        Assert.Equal(7, await log.DeadLetters.PurgeAsync(new DeadLetterQuery(), CancellationToken.None));
        Assert.Empty(await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task TheSameEnvelopeDeadLetteredTwice_KeepsBothLetters()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelope = Envelope("spec.a");
        await DeadLetterAllAsync(log, "billing", envelope);
        var replay = new EventEnvelope(envelope.Id, envelope.Type, envelope.Version, envelope.OccurredAt, envelope.PartitionKey, envelope.Headers, envelope.Payload);

        await DeadLetterAllAsync(log, "billing", replay);

        var letters = await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None);
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Equal(envelope.Id, l.Envelope.Id));
        Assert.Equal([1L, 2], letters.Select(l => l.Envelope.Position));
    }

    [Fact]
    public async Task DeadLetterQuery_BadValues_Throw()
    {
        var log = await NewLogAsync(partitions: 1);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await log.DeadLetters.ListAsync(new DeadLetterQuery(MaxCount: 0), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await log.DeadLetters.ListAsync(new DeadLetterQuery(AfterId: -1), CancellationToken.None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await log.DeadLetters.PurgeAsync(new DeadLetterQuery(Consumer: " "), CancellationToken.None));
    }
}
