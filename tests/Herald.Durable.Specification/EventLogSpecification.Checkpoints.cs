namespace Herald.Durable.Specification;

public abstract partial class EventLogSpecification
{
    [Fact]
    public async Task Offsets_AreNoneUntilCommitted_ThenOnePerPartition()
    {
        var log = await NewLogAsync(partitions: 3);
        Assert.Empty(await log.Checkpoints.GetOffsetsAsync("billing", CancellationToken.None));

        await log.Checkpoints.CommitAsync(new ProgressCommit(await AcquireAsync(log, "billing", 2), 7, []), CancellationToken.None);
        await log.Checkpoints.CommitAsync(new ProgressCommit(await AcquireAsync(log, "billing", 0), 3, []), CancellationToken.None);

        var offsets = await log.Checkpoints.GetOffsetsAsync("billing", CancellationToken.None);
        Assert.Equal([(0, 3L), (2, 7L)], offsets.Select(o => (o.Partition, o.Position)));
        Assert.All(offsets, o => Assert.Equal("billing", o.Consumer));
        Assert.Empty(await log.Checkpoints.GetOffsetsAsync("shipping", CancellationToken.None));
    }

    [Fact]
    public async Task Commit_WritesTheMarksAndTheOffsetTogether_ForThatConsumerOnly()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelopes = Enumerable.Range(0, 3).Select(_ => Envelope()).ToArray();
        await log.Stream.AppendAsync(envelopes, CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);

        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 2, [new InboxMark(envelopes[0].Id, 1), new InboxMark(envelopes[1].Id, 2)]), CancellationToken.None);

        Assert.Equal(2, await OffsetAsync(log, "billing", 0));
        var read = (await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None)).Envelopes;
        Assert.Equal(new[] { envelopes[0].Id, envelopes[1].Id }.Order(), (await log.Checkpoints.FindHandledAsync("billing", read, CancellationToken.None)).Order());
        Assert.Empty(await log.Checkpoints.FindHandledAsync("shipping", read, CancellationToken.None));
    }

    [Fact]
    public async Task FindHandled_ReportsEveryMarkedEnvelope_InLargeBatches()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelopes = Enumerable.Range(0, 300).Select(_ => Envelope()).ToArray();
        await log.Stream.AppendAsync(envelopes, CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        var marked = envelopes.Where((_, i) => i % 3 == 0).ToArray();

        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 300, [.. marked.Select(e => new InboxMark(e.Id, 1))]), CancellationToken.None);

        var read = await ReadAllAsync(log, 0);
        Assert.Equal(marked.Select(e => e.Id).Order(), (await log.Checkpoints.FindHandledAsync("billing", read, CancellationToken.None)).Order());
    }

    [Fact]
    public async Task Commit_UnderALeaseAnotherMemberTook_IsRefused_AndWritesNothing()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelope = Envelope();
        await log.Stream.AppendAsync([envelope], CancellationToken.None);
        var first = await AcquireAsync(log, "billing", 0, "member-a", TimeSpan.FromSeconds(10));
        await log.Checkpoints.CommitAsync(new ProgressCommit(first, 0, []), CancellationToken.None);
        Time.Advance(TimeSpan.FromSeconds(11)); // member-a paused past its lease
        var second = await AcquireAsync(log, "billing", 0, "member-b");

        var refused = await Assert.ThrowsAsync<LeaseLostException>(async () =>
            await log.Checkpoints.CommitAsync(new ProgressCommit(first, 1, [new InboxMark(envelope.Id, 1)]), CancellationToken.None));

        Assert.Equal(first, refused.Lease);
        Assert.Equal(first.Epoch + 1, second.Epoch);
        Assert.Equal(0, await OffsetAsync(log, "billing", 0));
        Assert.Empty(await log.Checkpoints.FindHandledAsync("billing", await ReadAllAsync(log, 0), CancellationToken.None));
        await log.Checkpoints.CommitAsync(new ProgressCommit(second, 1, [new InboxMark(envelope.Id, 1)]), CancellationToken.None);
        Assert.Equal(1, await OffsetAsync(log, "billing", 0));
    }

    [Fact]
    public async Task Commit_WithoutEverHoldingTheLease_IsRefused()
    {
        var log = await NewLogAsync(partitions: 2);
        await AcquireAsync(log, "billing", 0, "member-a");

        await Assert.ThrowsAsync<LeaseLostException>(async () =>
            await log.Checkpoints.CommitAsync(new ProgressCommit(new LeaseToken("billing", 0, "member-b", 1), 5, []), CancellationToken.None));
        await Assert.ThrowsAsync<LeaseLostException>(async () =>
            await log.Checkpoints.CommitAsync(new ProgressCommit(new LeaseToken("billing", 1, "member-a", 1), 5, []), CancellationToken.None));

        Assert.Empty(await log.Checkpoints.GetOffsetsAsync("billing", CancellationToken.None));
    }

    [Fact]
    public async Task Commit_AfterTheLeaseExpired_ButBeforeAnyoneTookIt_IsWritten()
    {
        var log = await NewLogAsync(partitions: 1);
        var lease = await AcquireAsync(log, "billing", 0, duration: TimeSpan.FromSeconds(5));
        Time.Advance(TimeSpan.FromMinutes(1));

        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 4, []), CancellationToken.None);

        Assert.Equal(4, await OffsetAsync(log, "billing", 0));
    }

    [Fact]
    public async Task SetOffset_MovesItBothWays_AndFencesTheOwner_WhichResumesAtTheNewEpoch()
    {
        var log = await NewLogAsync(partitions: 2);
        var lease = await AcquireAsync(log, "billing", 1);
        await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 40, []), CancellationToken.None);

        await log.Checkpoints.SetOffsetAsync("billing", 1, 10, CancellationToken.None);

        Assert.Equal(10, await OffsetAsync(log, "billing", 1));
        await Assert.ThrowsAsync<LeaseLostException>(async () =>
            await log.Checkpoints.CommitAsync(new ProgressCommit(lease, 41, []), CancellationToken.None));
        var renewed = Assert.Single(await log.Leases.RenewAsync("billing", lease.Owner, Time.GetUtcNow(), TimeSpan.FromSeconds(15), CancellationToken.None));
        Assert.Equal(lease.Epoch + 1, renewed.Epoch);
        await log.Checkpoints.CommitAsync(new ProgressCommit(renewed, 11, []), CancellationToken.None);
        Assert.Equal(11, await OffsetAsync(log, "billing", 1));

        await log.Checkpoints.SetOffsetAsync("billing", 1, 500, CancellationToken.None);
        await log.Checkpoints.SetOffsetAsync("billing", 0, 0, CancellationToken.None);
        Assert.Equal([(0, 0L), (1, 500L)], (await log.Checkpoints.GetOffsetsAsync("billing", CancellationToken.None)).Select(o => (o.Partition, o.Position)));
    }

    [Fact]
    public async Task SetOffset_BadArguments_Throw()
    {
        var log = await NewLogAsync(partitions: 2);

        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await log.Checkpoints.SetOffsetAsync(" ", 0, 1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Checkpoints.SetOffsetAsync("billing", 0, -1, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await log.Checkpoints.SetOffsetAsync("billing", 2, 1, CancellationToken.None));
    }

    [Fact]
    public async Task ListConsumers_NamesEveryConsumerWithAnOffsetALeaseOrAMember()
    {
        var log = await NewLogAsync(partitions: 2);
        await log.Checkpoints.SetOffsetAsync("shipping", 0, 3, CancellationToken.None);
        await AcquireAsync(log, "billing", 1);
        await log.Leases.HeartbeatAsync("audit", "member-a", Time.GetUtcNow(), TimeSpan.FromSeconds(15), CancellationToken.None);

        Assert.Equal(["audit", "billing", "shipping"], await log.Checkpoints.ListConsumersAsync(CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_CompletedEnvelopes_AreCommittedOnlyByCommit_AllMarksAndTheOffsetAtOnce()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope(), Envelope()], CancellationToken.None);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            foreach (var envelope in page.Envelopes)
            {
                await using var scope = batch.Begin(envelope);
                Assert.False(scope.AlreadyHandled);
                await scope.CompleteAsync(CancellationToken.None);
            }
            Assert.Null(await OffsetAsync(log, "billing", 0));
            Assert.Empty(await log.Checkpoints.FindHandledAsync("billing", page.Envelopes, CancellationToken.None));

            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(3, await OffsetAsync(log, "billing", 0));
        Assert.Equal(3, (await log.Checkpoints.FindHandledAsync("billing", page.Envelopes, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task HandlingBatch_DisposedMidBatch_WritesNothing_AndTheNextBatchStartsAtTheLastCommit()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([.. Enumerable.Range(0, 6).Select(_ => Envelope())], CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            await using (var scope = batch.Begin(page.Envelopes[0]))
                await scope.CompleteAsync(CancellationToken.None);
            await using (var scope = batch.Begin(page.Envelopes[1]))
                await scope.CompleteAsync(CancellationToken.None);
            await batch.CommitAsync(CancellationToken.None);
            await using (var scope = batch.Begin(page.Envelopes[2]))
                await scope.CompleteAsync(CancellationToken.None);
            _ = batch.Begin(page.Envelopes[3]); // the process "dies" here: neither completed nor committed
        }

        Assert.Equal(2, await OffsetAsync(log, "billing", 0));
        var again = await log.Stream.ReadAsync(0, 2, 10, null, CancellationToken.None);
        Assert.Equal([3L, 4, 5, 6], again.Envelopes.Select(e => e.Position));
        Assert.Empty(await log.Checkpoints.FindHandledAsync("billing", again.Envelopes, CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_AScopeDisposedWithoutCompleting_AddsNoMark()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope()], CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            await using (var scope = batch.Begin(page.Envelopes[0]))
                await scope.CompleteAsync(CancellationToken.None);
            await using (batch.Begin(page.Envelopes[1]))
            {
                // the handler failed
            }
            await batch.CommitAsync(CancellationToken.None);
        }

        Assert.Equal(1, await OffsetAsync(log, "billing", 0));
        Assert.Equal([page.Envelopes[0].Id], await log.Checkpoints.FindHandledAsync("billing", page.Envelopes, CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_TheSameIdTwice_TheSecondCopyIsAlreadyHandled_AndAReplayedBatchIsAllHandled()
    {
        var log = await NewLogAsync(partitions: 1);
        var envelope = Envelope();
        await log.Stream.AppendAsync([envelope, Envelope(), envelope], CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            var handled = new List<bool>();
            foreach (var item in page.Envelopes)
            {
                await using var scope = batch.Begin(item);
                handled.Add(scope.AlreadyHandled);
                await scope.CompleteAsync(CancellationToken.None);
            }
            Assert.Equal([false, false, true], handled);
            await batch.CommitAsync(CancellationToken.None);
        }

        await using var replay = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None);
        foreach (var item in page.Envelopes)
        {
            await using var scope = replay.Begin(item);
            Assert.True(scope.AlreadyHandled);
        }
    }

    [Fact]
    public async Task HandlingBatch_Advance_MovesTheOffsetWithoutAMark_NeverBackwards()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope(), Envelope()], CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, [], CancellationToken.None))
        {
            Assert.False(batch.HasPending);
            batch.Advance(3);
            batch.Advance(2);
            Assert.True(batch.HasPending);
            await batch.CommitAsync(CancellationToken.None);
            Assert.False(batch.HasPending);
        }

        Assert.Equal(3, await OffsetAsync(log, "billing", 0));
        Assert.Empty(await log.Checkpoints.FindHandledAsync("billing", await ReadAllAsync(log, 0), CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_OfEnvelopesFromAnotherPartition_IsRefused()
    {
        var log = await NewLogAsync(partitions: 2);
        await log.Stream.AppendAsync([Envelope(key: KeyIn(1, 2))], CancellationToken.None);
        var page = await log.Stream.ReadAsync(1, 0, 10, null, CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);

        await Assert.ThrowsAsync<ArgumentException>(async () => await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentException>(async () => await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, [Envelope()], CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_CommitAfterTheLeaseWasTaken_IsRefused_AndTheNewOwnerGetsTheEnvelopesAgain()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope()], CancellationToken.None);
        var old = await AcquireAsync(log, "billing", 0, "member-a", TimeSpan.FromSeconds(5));
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, old, 0, page.Envelopes, CancellationToken.None))
        {
            foreach (var envelope in page.Envelopes)
            {
                await using var scope = batch.Begin(envelope);
                await scope.CompleteAsync(CancellationToken.None);
            }
            Time.Advance(TimeSpan.FromSeconds(6));
            await AcquireAsync(log, "billing", 0, "member-b");
            await Assert.ThrowsAsync<LeaseLostException>(async () => await batch.CommitAsync(CancellationToken.None));
        }

        Assert.Null(await OffsetAsync(log, "billing", 0));
        Assert.Empty(await log.Checkpoints.FindHandledAsync("billing", page.Envelopes, CancellationToken.None));
    }

    [Fact]
    public async Task HandlingBatch_DeadLetter_StoresTheLetter_CommitsTheEarlierMarks_AndMovesTheOffsetPastIt()
    {
        var log = await NewLogAsync(partitions: 1);
        await log.Stream.AppendAsync([Envelope(), Envelope("spec.poison", payload: """{"n":"x"}"""), Envelope()], CancellationToken.None);
        var lease = await AcquireAsync(log, "billing", 0);
        var page = await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None);

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, page.Envelopes, CancellationToken.None))
        {
            await using (var scope = batch.Begin(page.Envelopes[0]))
                await scope.CompleteAsync(CancellationToken.None);
            await batch.DeadLetterAsync(page.Envelopes[1], "the payload cannot be read", "System.FormatException: bad", 0, Start, CancellationToken.None);

            Assert.Equal(2, await OffsetAsync(log, "billing", 0));
            Assert.Equal([page.Envelopes[0].Id], await log.Checkpoints.FindHandledAsync("billing", page.Envelopes, CancellationToken.None));
        }

        var letter = Assert.Single(await log.DeadLetters.ListAsync(new DeadLetterQuery(), CancellationToken.None));
        Assert.Equal("billing", letter.Consumer);
        Assert.Equal("the payload cannot be read", letter.Reason);
        Assert.Equal("System.FormatException: bad", letter.Exception);
        Assert.Equal(0, letter.Attempts);
        Assert.Equal(Start, letter.DeadLetteredAt);
        Assert.Equal(page.Envelopes[1].Id, letter.Envelope.Id);
        Assert.Equal(new LogPosition(0, 2), letter.Envelope.LogPosition);
        Assert.Equal("spec.poison", letter.Envelope.Type);
        Assert.Equal("""{"n":"x"}""", Text(letter.Envelope));
    }
}
