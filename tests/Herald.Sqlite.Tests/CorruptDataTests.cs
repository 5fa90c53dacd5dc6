namespace Herald.Sqlite.Tests;

public sealed class CorruptDataTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ReadAsync_PayloadThatIsNotJson_IsReturnedAsStored()
    {
        var log = _database.Open();
        await log.AppendAsync([Envelopes.Create(payload: "{not json at all")], CancellationToken.None);

        var envelope = Assert.Single(await log.ReadAsync(0, 10, CancellationToken.None));

        Assert.Equal("test.event", envelope.Type);
        Assert.Equal("{not json at all", Envelopes.PayloadText(envelope));
    }

    [Theory]
    [InlineData("x'0102'", "'test.event'", "1", "0", "NULL", "x'7b7d'", "id is not a 16-byte UUID")]
    [InlineData("randomblob(16)", "''", "1", "0", "NULL", "x'7b7d'", "type is not a name")]
    [InlineData("randomblob(16)", "'test.event'", "'one'", "0", "NULL", "x'7b7d'", "version is not a 32-bit integer")]
    [InlineData("randomblob(16)", "'test.event'", "4294967296", "0", "NULL", "x'7b7d'", "version is not a 32-bit integer")]
    [InlineData("randomblob(16)", "'test.event'", "1", "'yesterday'", "NULL", "x'7b7d'", "occurred_at is not a time in Unix milliseconds")]
    [InlineData("randomblob(16)", "'test.event'", "1", "9223372036854775807", "NULL", "x'7b7d'", "occurred_at is not a time in Unix milliseconds")]
    [InlineData("randomblob(16)", "'test.event'", "1", "0", "'{broken'", "x'7b7d'", "headers are not a JSON object of strings")]
    [InlineData("randomblob(16)", "'test.event'", "1", "0", "'{\"n\":1}'", "x'7b7d'", "headers are not a JSON object of strings")]
    [InlineData("randomblob(16)", "'test.event'", "1", "0", "NULL", "42", "payload is not a blob")]
    public async Task ReadAsync_RowWhoseColumnsCannotBeRead_IsReturnedAsACorruptRowEnvelope_AndLaterRowsStillRead(
        string id, string type, string version, string occurredAt, string headers, string payload, string reason)
    {
        var log = _database.Open();
        await log.AppendAsync([Envelopes.Create()], CancellationToken.None);
        _database.Execute(
            $"INSERT INTO herald_events (id, type, version, occurred_at, partition_key, headers, payload) VALUES ({id}, {type}, {version}, {occurredAt}, 'key-7', {headers}, {payload});");
        var after = Envelopes.Create();
        await log.AppendAsync([after], CancellationToken.None);

        var read = await log.ReadAsync(0, 10, CancellationToken.None);

        Assert.Equal([1L, 2L, 3L], read.Select(e => e.Position));
        var corrupt = read[1];
        Assert.Equal(SqliteEventLog.CorruptRowType, corrupt.Type);
        Assert.Contains(reason, corrupt.Headers[SqliteEventLog.CorruptRowReasonHeader], StringComparison.Ordinal);
        Assert.Equal("key-7", corrupt.PartitionKey);
        Assert.NotEqual(Guid.Empty, corrupt.Id);
        Assert.Equal(after.Id, read[2].Id);
        Assert.Equal("test.event", read[2].Type);
    }

    [Fact]
    public async Task ReadAsync_CorruptRow_GetsTheSameIdOnEveryRead_AndKeepsItsStoredType()
    {
        var log = _database.Open();
        _database.Execute("INSERT INTO herald_events (id, type, version, occurred_at, payload) VALUES (x'00', 'orders.created', 1, 0, x'7b7d');");

        var first = Assert.Single(await log.ReadAsync(0, 10, CancellationToken.None));
        var second = Assert.Single(await log.ReadAsync(0, 10, CancellationToken.None));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("orders.created", first.Headers["herald-stored-type"]);
        Assert.Equal("{}", Envelopes.PayloadText(first));
    }

    [Fact]
    public async Task CorruptRowEnvelope_CanBeDeadLetteredAndListed_AndTheConsumerMovesOn()
    {
        var log = _database.Open();
        _database.Execute("INSERT INTO herald_events (id, type, version, occurred_at, payload) VALUES (x'0102', 'orders.created', 1, 0, x'7b7d');");
        var corrupt = Assert.Single(await log.ReadAsync(0, 10, CancellationToken.None));

        await log.AddDeadLetterAsync(new DeadLetter(0, "search-index", corrupt, "unknown event type 'herald.corrupt-row'", null, 0, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal(1, await log.GetOffsetAsync("search-index", CancellationToken.None));
        var letter = Assert.Single(await log.ListDeadLettersAsync("search-index", 10, CancellationToken.None));
        Assert.Equal(SqliteEventLog.CorruptRowType, letter.Envelope.Type);
        Assert.Equal(corrupt.Id, letter.Envelope.Id);
        Assert.Contains("id is not a 16-byte UUID", letter.Envelope.Headers[SqliteEventLog.CorruptRowReasonHeader], StringComparison.Ordinal);
    }
}
