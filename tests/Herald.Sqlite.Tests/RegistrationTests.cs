using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Herald.Sqlite.Tests;

public sealed class RegistrationTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task UseSqlite_WithAddHerald_RegistersTheSqliteLog_WithTheDeadLetterFileNextToTheDatabase()
    {
        var services = new ServiceCollection();
        services.AddHerald(o => o.UseSqlite(_database.ConnectionString, sqlite => sqlite.Synchronous = SqliteSynchronous.Full));
        await using var provider = services.BuildServiceProvider();

        var admin = provider.GetRequiredService<DurableLogAdmin>();

        var log = Assert.IsType<SqliteEventLog>(admin.Log);
        Assert.Equal(_database.FilePath, log.DatabasePath);
        Assert.Equal(_database.FilePath + ".dead-letters.jsonl", admin.AppendDeadLetterFile);
        Assert.Equal(SqliteEventLog.TransportName, provider.GetRequiredService<HeraldOptions>().Transport);
        Assert.True(File.Exists(_database.FilePath));
    }

    [Fact]
    public async Task UseSqlite_WithADeadLetterFileSet_KeepsIt()
    {
        var deadLetters = Path.Combine(_database.Folder, "elsewhere.jsonl");
        var services = new ServiceCollection();
        services.AddHerald(o =>
        {
            o.DeadLetterFile = deadLetters;
            o.UseSqlite(_database.ConnectionString);
        });
        await using var provider = services.BuildServiceProvider();

        Assert.Equal(deadLetters, provider.GetRequiredService<DurableLogAdmin>().AppendDeadLetterFile);
    }

    [Fact]
    public void SqliteTransport_IsNamedSqlite_AndDeclaredByTheAssembly()
    {
        Assert.Equal("Sqlite", SqliteTransport.Name);
        var declared = typeof(SqliteTransport).Assembly.GetCustomAttributes(typeof(HeraldTransportAttribute), inherit: false);
        Assert.Equal(typeof(SqliteTransport), Assert.IsType<HeraldTransportAttribute>(Assert.Single(declared)).TransportType);
    }

    [Fact]
    public void SqliteTransport_Configure_WithoutConnectionString_SaysWhichKeyToSet()
    {
        var section = Configuration(new() { ["Herald:Transport"] = "Sqlite" }).GetSection("Herald:Sqlite");

        var failure = Assert.Throws<InvalidOperationException>(() => SqliteTransport.Configure(new HeraldOptions(), section));

        Assert.Contains("Herald:Sqlite:ConnectionString", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Data Source=events.db", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqliteTransport_Configure_ReadsTheSection_AndTheLogOpens()
    {
        var section = Configuration(new()
        {
            ["Herald:Sqlite:ConnectionString"] = _database.ConnectionString,
            ["Herald:Sqlite:Synchronous"] = "full",
            ["Herald:Sqlite:BusyTimeoutMs"] = "2500",
        }).GetSection("Herald:Sqlite");
        var services = new ServiceCollection();
        services.AddHerald(o => SqliteTransport.Configure(o, section));
        await using var provider = services.BuildServiceProvider();

        var log = Assert.IsType<SqliteEventLog>(provider.GetRequiredService<DurableLogAdmin>().Log);

        Assert.Single(await log.Stream.AppendAsync(Envelopes.Batch(1), CancellationToken.None));
        await using var transaction = (await log.Checkpoints.BeginTransactionAsync(CancellationToken.None))!;
        var connection = (Microsoft.Data.Sqlite.SqliteTransaction)transaction.Transaction;
        Assert.Equal("wal", Pragma(connection, "journal_mode"));
        Assert.Equal("2", Pragma(connection, "synchronous")); // FULL
        Assert.Equal("2500", Pragma(connection, "busy_timeout"));
    }

    [Fact]
    public async Task SqliteEventLog_ByDefault_UsesSynchronousNormalAndAFiveSecondBusyTimeout()
    {
        var log = _database.Open();

        await using var transaction = (await log.Checkpoints.BeginTransactionAsync(CancellationToken.None))!;

        var connection = (Microsoft.Data.Sqlite.SqliteTransaction)transaction.Transaction;
        Assert.Equal("1", Pragma(connection, "synchronous")); // NORMAL
        Assert.Equal("5000", Pragma(connection, "busy_timeout"));
    }

    private static string? Pragma(Microsoft.Data.Sqlite.SqliteTransaction transaction, string name)
    {
        using var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"PRAGMA {name};";
        return Convert.ToString(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    [Theory]
    [InlineData("Synchronous", "Off", "Herald:Sqlite:Synchronous is 'Off'; expected Normal or Full.")]
    [InlineData("Synchronous", "1", "Herald:Sqlite:Synchronous is '1'; expected Normal or Full.")]
    [InlineData("BusyTimeoutMs", "soon", "Herald:Sqlite:BusyTimeoutMs is 'soon'; expected a whole number of milliseconds, 0 or more.")]
    [InlineData("BusyTimeoutMs", "-5", "Herald:Sqlite:BusyTimeoutMs is '-5'; expected a whole number of milliseconds, 0 or more.")]
    public void SqliteTransport_Configure_BadValue_NamesTheKeyAndWhatIsExpected(string key, string value, string message)
    {
        var section = Configuration(new()
        {
            ["Herald:Sqlite:ConnectionString"] = _database.ConnectionString,
            [$"Herald:Sqlite:{key}"] = value,
        }).GetSection("Herald:Sqlite");

        var failure = Assert.Throws<InvalidOperationException>(() => SqliteTransport.Configure(new HeraldOptions(), section));

        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void SqliteTransport_Configure_InMemoryConnectionString_NamesTheKey()
    {
        var section = Configuration(new() { ["Herald:Sqlite:ConnectionString"] = "Data Source=:memory:" }).GetSection("Herald:Sqlite");

        var failure = Assert.Throws<InvalidOperationException>(() => SqliteTransport.Configure(new HeraldOptions(), section));

        Assert.StartsWith("Herald:Sqlite:ConnectionString cannot be used.", failure.Message, StringComparison.Ordinal);
        Assert.Contains("in-memory", failure.Message, StringComparison.Ordinal);
    }

    private static IConfiguration Configuration(Dictionary<string, string?> values)
        => new ConfigurationBuilder().AddInMemoryCollection(values).Build();
}
