using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The log's tables: created on first use, idempotently, by one of several instances that start at the same moment;
/// versioned; in a schema whose name from configuration is validated and always quoted; and never a connection string
/// in a message.
/// </summary>
public sealed class SchemaTests : IAsyncLifetime
{
    private readonly LogSchemas _logs = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _logs.DisposeAsync().AsTask();

    [Fact]
    public async Task SeveralInstancesStartingAtOnceOnOneSchema_AllOpenTheSameLog_CreatedOnce()
    {
        var schema = _logs.New("start");
        using var go = new ManualResetEventSlim();
        var starts = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            return await _logs.OpenAsync(schema, partitions: 4);
        })).ToArray();
        go.Set();

        var logs = await Task.WhenAll(starts).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.All(logs, log => Assert.Equal(4, log.Stream.Partitions));
        Assert.Equal(1L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{schema}\".schema_version"));
        Assert.Equal(4L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{schema}\".partitions"));
        // Every instance appends to the one log: the positions of a partition are 1..n with no gap.
        await Task.WhenAll(logs.Select(log => log.Stream.AppendAsync([LogSchemas.Envelope("x", "same-key")], CancellationToken.None).AsTask()));
        var partition = Partitioning.PartitionOf("same-key", 4);
        var page = await logs[0].Stream.ReadAsync(partition, 0, 100, null, CancellationToken.None);
        Assert.Equal(Enumerable.Range(1, logs.Length).Select(i => (long)i), page.Envelopes.Select(e => e.Position));
    }

    [Fact]
    public async Task Reopening_KeepsTheEvents_AndTheCount_AndAnotherCountIsRefusedNamingBoth()
    {
        var schema = _logs.New();
        var first = await _logs.OpenAsync(schema, partitions: 2);
        await first.Stream.AppendAsync([LogSchemas.Envelope("kept")], CancellationToken.None);

        var again = await _logs.OpenAsync(schema, configure: o => o.Partitions = null);
        Assert.Equal(2, again.Stream.Partitions);
        Assert.Equal(1, (await again.Stream.GetBoundsAsync(CancellationToken.None)).Sum(b => b.Last));

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _logs.OpenAsync(schema, partitions: 3));
        Assert.Contains("created with 2 partitions, but 3 were asked for", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASchemaWrittenByANewerVersion_IsRefused_SayingToUpdateThePackage()
    {
        var schema = _logs.New();
        await _logs.OpenAsync(schema);
        await PostgresServer.ScalarAsync($"INSERT INTO \"{schema}\".schema_version (version, applied_at) VALUES (99, now())");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => _logs.OpenAsync(schema));

        Assert.Contains("schema version 99", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Update the Herald.Postgres package", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("herald\"; DROP TABLE x; --")]
    [InlineData("1starts_with_a_digit")]
    [InlineData("has space")]
    [InlineData("pg_catalog")]
    [InlineData("")]
    [InlineData("a_name_that_is_far_too_long_for_a_channel_name_of_postgres")]
    public async Task ASchemaNameThatIsNotAPlainIdentifier_IsRefused_BeforeAnySql(string schema)
    {
        var refused = await Assert.ThrowsAsync<ArgumentException>(() => PostgresEventLog.OpenAsync(new PostgresOptions
        {
            ConnectionString = PostgresServer.ConnectionString,
            Schema = schema,
        }));

        Assert.Contains("schema name", refused.Message, StringComparison.Ordinal);
        Assert.Null(await PostgresServer.ScalarAsync("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'herald\"%'"));
    }

    [Fact]
    public async Task ASchemaNameWithCapitals_IsUsedQuoted_AsWritten()
    {
        var schema = "Mixed_" + Guid.NewGuid().ToString("N");
        await using var log = await PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = PostgresServer.ConnectionString, Schema = schema, Partitions = 1 });
        try
        {
            await log.Stream.AppendAsync([LogSchemas.Envelope("x")], CancellationToken.None);
            Assert.Equal(1L, await PostgresServer.ScalarAsync($"SELECT count(*) FROM \"{schema}\".events"));
        }
        finally
        {
            await PostgresServer.DropSchemasAsync([schema]);
        }
    }

    [Fact]
    public async Task AServerThatCannotBeReached_IsNamedByHostAndDatabase_NeverByTheConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString)
        {
            Port = 1, // nothing listens there
            Password = "s3cret-Password-value",
            Timeout = 2,
        };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = builder.ConnectionString }));

        Assert.Contains($"{builder.Host}:1/{builder.Database}", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-Password-value", refused.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AWrongPassword_IsReported_WithoutThePassword()
    {
        var builder = new NpgsqlConnectionStringBuilder(PostgresServer.ConnectionString) { Password = "not-the-Password-42" };

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = builder.ConnectionString }));

        Assert.Contains("28P01", refused.Message, StringComparison.Ordinal); // invalid password
        Assert.DoesNotContain("not-the-Password-42", refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Database=app;Password=hidden-Value-1")]
    [InlineData("Host=db;NoSuchKeyword=hidden-Value-1")]
    public void AConnectionStringThatCannotBeUsed_IsRefusedAtRegistration_WithoutRepeatingIt(string connectionString)
    {
        var refused = Assert.Throws<ArgumentException>(() => new HeraldOptions().UsePostgres(connectionString));

        Assert.Contains("PostgreSQL connection string", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hidden-Value-1", refused.ToString(), StringComparison.Ordinal);
    }
}
