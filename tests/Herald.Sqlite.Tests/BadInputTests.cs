using System.Text;

namespace Herald.Sqlite.Tests;

public sealed class BadInputTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("   ", "is empty")]
    [InlineData("events.db", "is not valid")]
    [InlineData("Data Source=events.db;Colour=blue", "is not valid")]
    [InlineData("Mode=ReadWriteCreate", "has no Data Source")]
    [InlineData("Data Source=:memory:", "in-memory")]
    [InlineData("Data Source=shared;Mode=Memory;Cache=Shared", "in-memory")]
    [InlineData("Data Source=file::memory:?cache=shared", "in-memory")]
    [InlineData("Data Source=events.db;Mode=ReadOnly", "read-only")]
    public void UseSqlite_UnusableConnectionString_ThrowsSayingWhy(string connectionString, string reason)
    {
        var failure = Assert.ThrowsAny<ArgumentException>(() => new HeraldOptions().UseSqlite(connectionString));

        Assert.Contains(reason, failure.Message, StringComparison.Ordinal);
        Assert.Contains("connection string", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FolderThatCannotBeCreated_SaysWhichFolderAndHowToFix()
    {
        var notAFolder = Path.Combine(_database.Folder, "plain-file");
        File.WriteAllText(notAFolder, "a file where a folder should be");
        var path = Path.Combine(notAFolder, "data", "events.db");

        var failure = Assert.Throws<InvalidOperationException>(() => new SqliteEventLog($"Data Source={path}"));

        Assert.Contains("cannot create the folder", failure.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(notAFolder, "data"), failure.Message, StringComparison.Ordinal);
        Assert.Contains("writable location", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_DataSourceThatIsAFolder_SaysTheFileCannotBeOpened()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new SqliteEventLog($"Data Source={_database.Folder}"));

        Assert.Contains($"cannot open or create the database file '{_database.Folder}'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileThatIsNotADatabase_SaysSo()
    {
        File.WriteAllText(_database.FilePath, new string('x', 4096), Encoding.ASCII);

        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open());

        Assert.Contains($"'{_database.FilePath}' is not a SQLite database", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_MissingFolder_IsCreated()
    {
        var path = Path.Combine(_database.Folder, "nested", "deeper", "events.db");

        await using var log = new SqliteEventLog($"Data Source={path}");

        Assert.True(File.Exists(path));
        Assert.Equal(path, log.DatabasePath);
    }

    [Fact]
    public async Task Open_DatabaseWithANewerSchema_AsksForANewerPackage()
    {
        await _database.Open().DisposeAsync();
        _database.Execute("INSERT INTO herald_schema (version, applied_at) VALUES (99, 0);");

        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open());

        Assert.Contains("schema version 99", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Update the Herald.Sqlite package", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ExistingDatabaseOfAnotherApp_AddsTheLogTablesBesideItsOwn()
    {
        _database.Execute("CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO events (name) VALUES ('mine');");

        _database.Open();

        Assert.Equal(1, _database.Scalar("SELECT count(*) FROM events"));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM herald_events"));
    }

    [Theory]
    [InlineData("Data Source=relative/events.db", "relative/events.db")]
    [InlineData("Data Source=file:relative/events.db?cache=private", "relative/events.db")]
    [InlineData("Data Source=file:///srv/herald/events%20log.db", "/srv/herald/events log.db")]
    public void DataSource_IsResolvedToAFullPath_AgainstTheCurrentDirectory(string connectionString, string expected)
    {
        var database = Storage.SqliteDatabase.Resolve(new SqliteOptions { ConnectionString = connectionString });

        Assert.Equal(Path.GetFullPath(expected), database.Path);
        Assert.Equal(Path.GetFullPath(expected) + ".dead-letters.jsonl", database.DefaultDeadLetterFile);
    }
}
