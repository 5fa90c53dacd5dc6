namespace Herald.Sqlite.Tests;

public sealed class DeadLetterTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task AddDeadLetterAsync_StoresTheLetterAndMovesTheConsumersOffset()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(3), CancellationToken.None);
        var poison = (await log.ReadAsync(1, 1, CancellationToken.None))[0];
        var at = new DateTimeOffset(2026, 6, 1, 8, 0, 0, 250, TimeSpan.Zero);

        var id = await log.AddDeadLetterAsync(
            new DeadLetter(0, "search-index", poison, "the handler failed 5 time(s)", "System.TimeoutException: slow", 5, at),
            CancellationToken.None);

        Assert.Equal(2, await log.GetOffsetAsync("search-index", CancellationToken.None));
        var letter = Assert.Single(await log.ListDeadLettersAsync(null, 10, CancellationToken.None));
        Assert.Equal(id, letter.Id);
        Assert.Equal("search-index", letter.Consumer);
        Assert.Equal("the handler failed 5 time(s)", letter.Reason);
        Assert.Equal("System.TimeoutException: slow", letter.Exception);
        Assert.Equal(5, letter.Attempts);
        Assert.Equal(at, letter.DeadLetteredAt);
        Assert.Equal(poison.Id, letter.Envelope.Id);
        Assert.Equal(poison.Type, letter.Envelope.Type);
        Assert.Equal(poison.Position, letter.Envelope.Position);
        Assert.Equal(poison.OccurredAt, letter.Envelope.OccurredAt);
        Assert.Equal(poison.Payload.ToArray(), letter.Envelope.Payload.ToArray());
    }

    [Fact]
    public async Task AddDeadLetterAsync_WithoutConsumer_MovesNoOffset()
    {
        var log = _database.Open();
        await log.SetOffsetAsync("search-index", 0, CancellationToken.None);
        var notAppended = Envelopes.Create(headers: new Dictionary<string, string> { ["traceparent"] = "00-abc-def-01" });

        await log.AddDeadLetterAsync(new DeadLetter(0, null, notAppended, "append failed", null, 4, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal(0, await log.GetOffsetAsync("search-index", CancellationToken.None));
        var letter = Assert.Single(await log.ListDeadLettersAsync(null, 10, CancellationToken.None));
        Assert.Null(letter.Consumer);
        Assert.Null(letter.Exception);
        Assert.Equal(0, letter.Envelope.Position);
        Assert.Equal("00-abc-def-01", letter.Envelope.Headers["traceparent"]);
    }

    [Fact]
    public async Task ListDeadLettersAsync_OldestFirst_FilteredByConsumer_AndLimited()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(4), CancellationToken.None);
        var envelopes = await Envelopes.ReadAllAsync(log);
        var a1 = await AddAsync(log, "a", envelopes[0]);
        var b1 = await AddAsync(log, "b", envelopes[1]);
        var a2 = await AddAsync(log, "a", envelopes[2]);
        var b2 = await AddAsync(log, "b", envelopes[3]);

        Assert.Equal([a1, b1, a2, b2], (await log.ListDeadLettersAsync(null, 10, CancellationToken.None)).Select(l => l.Id));
        Assert.Equal([a1, a2], (await log.ListDeadLettersAsync("a", 10, CancellationToken.None)).Select(l => l.Id));
        Assert.Equal([a1, b1], (await log.ListDeadLettersAsync(null, 2, CancellationToken.None)).Select(l => l.Id));
        Assert.Empty(await log.ListDeadLettersAsync("c", 10, CancellationToken.None));
        Assert.Empty(await log.ListDeadLettersAsync(null, 0, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteDeadLetterAsync_RemovesIt_AndIsFalseWhenThereIsNone()
    {
        var log = _database.Open();
        await log.AppendAsync(Envelopes.Batch(2), CancellationToken.None);
        var envelopes = await Envelopes.ReadAllAsync(log);
        var first = await AddAsync(log, "a", envelopes[0]);
        var second = await AddAsync(log, "a", envelopes[1]);

        Assert.True(await log.DeleteDeadLetterAsync(first, CancellationToken.None));
        Assert.False(await log.DeleteDeadLetterAsync(first, CancellationToken.None));
        Assert.False(await log.DeleteDeadLetterAsync(9999, CancellationToken.None));
        Assert.Equal([second], (await log.ListDeadLettersAsync(null, 10, CancellationToken.None)).Select(l => l.Id));
    }

    [Fact]
    public async Task AddDeadLetterAsync_SameEnvelopeReplayedAndDeadLetteredAgain_KeepsBothLetters()
    {
        // A replay appends the same envelope id at a new position: the log must accept the id twice.
        var log = _database.Open();
        var envelope = Envelopes.Create();
        await log.AppendAsync([envelope], CancellationToken.None);
        await AddAsync(log, "a", (await Envelopes.ReadAllAsync(log))[0]);

        await log.AppendAsync([envelope], CancellationToken.None);
        var replayed = (await log.ReadAsync(1, 10, CancellationToken.None))[0];
        await AddAsync(log, "a", replayed);

        Assert.Equal(envelope.Id, replayed.Id);
        Assert.Equal(2, replayed.Position);
        Assert.Equal([1L, 2L], (await log.ListDeadLettersAsync("a", 10, CancellationToken.None)).Select(l => l.Envelope.Position));
    }

    private static ValueTask<long> AddAsync(IEventLog log, string consumer, EventEnvelope envelope)
        => log.AddDeadLetterAsync(new DeadLetter(0, consumer, envelope, "failed", null, 1, DateTimeOffset.UtcNow), CancellationToken.None);
}
