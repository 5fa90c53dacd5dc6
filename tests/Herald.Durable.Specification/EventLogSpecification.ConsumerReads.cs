namespace Herald.Durable.Specification;

// IEventLog.ReadForConsumerAsync: what a consumer reads with, once per wake-up. Whether a log composes it from its
// parts (the interface's default) or answers it in one round trip, it must give what the parts give.
public abstract partial class EventLogSpecification
{
    [Fact]
    public async Task ReadForConsumer_GivesThePageTheStreamGives_WithTheConsumersMarks_AndTheLeaseHeld()
    {
        var log = await NewLogAsync(partitions: 2);
        var key = KeyIn(0, 2);
        var envelopes = Enumerable.Range(0, 6).Select(i => Envelope(i % 2 == 0 ? "spec.even" : "spec.odd", key, $$"""{"n":{{i}}}""")).ToArray();
        await log.Stream.AppendAsync(envelopes, CancellationToken.None);
        await log.Stream.AppendAsync([Envelope("spec.even", KeyIn(1, 2))], CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 0, [new InboxMark(envelopes[0].Id, 1), new InboxMark(envelopes[3].Id, 4)]), CancellationToken.None);
        // A copy of a handled envelope, appended again at a new position (a dead-letter replay, a writer's retry after a
        // lost reply): only the inbox knows it was handled.
        await log.Stream.AppendAsync([envelopes[0]], CancellationToken.None);

        foreach (var (after, max, types) in new (long, int, string[]?)[] { (0, 100, null), (0, 3, null), (2, 100, null), (0, 100, ["spec.even"]), (0, 2, ["spec.odd", "spec.even"]), (7, 100, null) })
        {
            var expected = await log.Stream.ReadAsync(0, after, max, types, CancellationToken.None);

            var read = await log.ReadForConsumerAsync(lease, after, max, types, CancellationToken.None);

            Assert.Equal(lease, read.Lease);
            Assert.False(read.LeaseLost);
            Assert.Equal(expected.Bounds, read.Page.Bounds);
            Assert.Equal(expected.ScannedTo, read.Page.ScannedTo);
            Assert.Equal(expected.Envelopes.Select(e => (e.Id, e.Position, e.Type, Text(e))), read.Page.Envelopes.Select(e => (e.Id, e.Position, e.Type, Text(e))));
            var marked = await log.Checkpoints.FindHandledAsync("billing", expected.Envelopes, CancellationToken.None);
            Assert.Equal(marked.Order(), read.Handled.Order());
        }

        var all = await log.ReadForConsumerAsync(lease, 0, 100, null, CancellationToken.None);
        Assert.Equal(7, all.Page.Envelopes.Count);
        Assert.Equal(new[] { envelopes[0].Id, envelopes[3].Id }.Order(), all.Handled.Order());
        Assert.Equal(7, all.Page.Envelopes[^1].Position); // the copy, reported handled by its id
    }

    [Fact]
    public async Task ReadForConsumer_FindsOnlyItsOwnConsumersMarks()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelope = Envelope();
        await log.Stream.AppendAsync([envelope], CancellationToken.None);
        await log.Checkpoints.CommitAsync(new ProgressCommit(await AcquireAsync(log, "billing", 0), 1, [new InboxMark(envelope.Id, 1)]), CancellationToken.None);

        var shipping = await log.ReadForConsumerAsync(await AcquireAsync(log, "shipping", 0), 0, 10, null, CancellationToken.None);
        var billing = await log.ReadForConsumerAsync(await AcquireAsync(log, "billing", 0), 0, 10, null, CancellationToken.None);

        Assert.Equal(envelope.Id, Assert.Single(shipping.Page.Envelopes).Id);
        Assert.Empty(shipping.Handled);
        Assert.Equal(envelope.Id, Assert.Single(billing.Handled));
    }

    [Fact]
    public async Task ReadForConsumer_UnderALeaseAnotherMemberTook_OrWhoseOffsetAnOperatorMoved_ReportsItLost()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope()], CancellationToken.None);
        var first = await AcquireAsync(log, "billing", 0, "member-a", TimeSpan.FromSeconds(10));
        Assert.False((await log.ReadForConsumerAsync(first, 0, 10, null, CancellationToken.None)).LeaseLost);
        Time.Advance(TimeSpan.FromSeconds(11)); // member-a paused past its lease
        var second = await AcquireAsync(log, "billing", 0, "member-b");

        var stale = await log.ReadForConsumerAsync(first, 0, 10, null, CancellationToken.None);
        var current = await log.ReadForConsumerAsync(second, 0, 10, null, CancellationToken.None);

        Assert.True(stale.LeaseLost);
        Assert.False(current.LeaseLost);
        Assert.Throws<LeaseLostException>(() => HandlingBatch.Begin(log.Checkpoints, 0, stale));

        await log.Checkpoints.SetOffsetAsync("billing", 0, 1, CancellationToken.None); // raises the epoch: fences member-b
        Assert.True((await log.ReadForConsumerAsync(second, 1, 10, null, CancellationToken.None)).LeaseLost);
        var never = new LeaseToken("billing", 0, "member-c", 1);
        Assert.True((await log.ReadForConsumerAsync(never, 0, 10, null, CancellationToken.None)).LeaseLost);
    }

    [Fact]
    public async Task ReadForConsumer_RefusesWhatReadRefuses()
    {
        var log = await NewLogAsync(partitions: 2);
        var lease = await AcquireAsync(log, "billing", 1);

        await Assert.ThrowsAsync<ArgumentNullException>(async () => await log.ReadForConsumerAsync(null!, 0, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.ReadForConsumerAsync(lease, -1, 10, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.ReadForConsumerAsync(lease, 0, 0, null, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.ReadForConsumerAsync(lease with { Partition = 2 }, 0, 10, null, CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_FromConsumerPages_KnowsTheirMarks_AndTakesOnlyPagesOfItsLease()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelopes = Enumerable.Range(0, 4).Select(_ => Envelope()).ToArray();
        await log.Stream.AppendAsync(envelopes, CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 0, [new InboxMark(envelopes[1].Id, 2), new InboxMark(envelopes[2].Id, 3)]), CancellationToken.None);
        var head = await log.ReadForConsumerAsync(lease, 0, 2, null, CancellationToken.None);
        var tail = await log.ReadForConsumerAsync(lease, 2, 2, null, CancellationToken.None);
        var other = await log.ReadForConsumerAsync(await AcquireAsync(log, "shipping", 0), 2, 2, null, CancellationToken.None);

        await using var batch = HandlingBatch.Begin(log.Checkpoints, 0, head);
        Assert.Throws<ArgumentException>(() => batch.Include(other));
        batch.Include(tail);
        var handled = new List<bool>();
        foreach (var envelope in head.Page.Envelopes.Concat(tail.Page.Envelopes))
        {
            await using var scope = batch.Begin(envelope);
            handled.Add(scope.AlreadyHandled);
            await scope.CompleteAsync(CancellationToken.None);
        }
        await batch.CommitAsync(CancellationToken.None);

        Assert.Equal([false, true, true, false], handled);
        Assert.Equal(4, await OffsetAsync(log, "billing", 0));
    }
}
