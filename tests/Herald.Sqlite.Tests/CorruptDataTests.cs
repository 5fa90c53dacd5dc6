namespace Herald.Sqlite.Tests;

/// <summary>Rows whose columns SQLite cannot give back as an envelope: read as corrupt-row envelopes, never as errors.</summary>
public sealed class CorruptDataTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task ReadAsync_PayloadThatIsNotJson_IsReturnedAsStored()
    {
        var log = _database.Open();
        await log.Stream.AppendAsync([Envelopes.Create(payload: "{not json at all")], CancellationToken.None);

        var envelope = Assert.Single(await Envelopes.ReadAllAsync(log));

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
        await log.Stream.AppendAsync([Envelopes.Create()], CancellationToken.None);
        InsertRow(2, id, type, version, occurredAt, headers, payload);
        var after = Envelopes.Create();
        await log.Stream.AppendAsync([after], CancellationToken.None);

        var read = (await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None)).Envelopes;

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
    public async Task ReadAsync_CorruptRowOfAConsumersType_IsReturnedToThatConsumersRead_WithTheSameIdEveryTime()
    {
        var log = _database.Open();
        InsertRow(1, "x'00'", "'orders.created'", "1", "0", "NULL", "x'7b7d'");

        var first = Assert.Single((await log.Stream.ReadAsync(0, 0, 10, ["orders.created"], CancellationToken.None)).Envelopes);
        var second = Assert.Single((await log.Stream.ReadAsync(0, 0, 10, ["orders.created"], CancellationToken.None)).Envelopes);

        Assert.Equal(SqliteEventLog.CorruptRowType, first.Type);
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("orders.created", first.Headers["herald-stored-type"]);
        Assert.Equal("{}", Envelopes.PayloadText(first));
    }

    [Fact]
    public async Task CorruptRowEnvelope_CanBeDeadLetteredAndListed_AndTheConsumerMovesOn()
    {
        var log = _database.Open();
        InsertRow(1, "x'0102'", "'orders.created'", "1", "0", "NULL", "x'7b7d'");
        var corrupt = Assert.Single((await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None)).Envelopes);
        var lease = await Envelopes.LeaseAsync(log, "search-index");

        await using (var batch = await HandlingBatch.BeginAsync(log.Checkpoints, lease, 0, [corrupt], CancellationToken.None))
            await batch.DeadLetterAsync(corrupt, "corrupt stored event", null, 0, DateTimeOffset.UtcNow, CancellationToken.None);

        Assert.Equal(1, await Envelopes.OffsetAsync(log, "search-index"));
        var letter = Assert.Single(await log.DeadLetters.ListAsync(new DeadLetterQuery("search-index"), CancellationToken.None));
        Assert.Equal(SqliteEventLog.CorruptRowType, letter.Envelope.Type);
        Assert.Equal(corrupt.Id, letter.Envelope.Id);
        Assert.Contains("id is not a 16-byte UUID", letter.Envelope.Headers[SqliteEventLog.CorruptRowReasonHeader], StringComparison.Ordinal);
    }

    private void InsertRow(long position, string id, string type, string version, string occurredAt, string headers, string payload)
    {
        _database.Execute(
            $"INSERT INTO herald_events (partition, position, id, type, version, occurred_at, partition_key, headers, payload) " +
            $"VALUES (0, {position}, {id}, {type}, {version}, {occurredAt}, 'key-7', {headers}, {payload});" +
            $"UPDATE herald_partitions SET last_position = {position} WHERE partition = 0;");
    }
}
