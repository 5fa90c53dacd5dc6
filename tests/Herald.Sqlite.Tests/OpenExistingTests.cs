namespace Herald.Sqlite.Tests;

/// <summary>
/// <see cref="SqliteOptions.CreateIfMissing"/> false, as tools open a log: only an existing log of this schema opens,
/// and a wrong file is left exactly as it was.
/// </summary>
public sealed class OpenExistingTests : IAsyncLifetime
{
    private readonly TempDatabase _database = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _database.DisposeAsync().AsTask();

    [Fact]
    public async Task OpenExisting_ALogOfThisSchema_OpensWithItsStoredPartitionCount()
    {
        await _database.Open(o => o.Partitions = 5).DisposeAsync();

        var log = _database.Open(o => { o.Partitions = null; o.CreateIfMissing = false; });

        Assert.Equal(5, log.Stream.Partitions);
    }

    [Fact]
    public void OpenExisting_MissingFile_SaysItDoesNotExist_AndCreatesNothing()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open(o => o.CreateIfMissing = false));

        Assert.Equal($"The database file '{_database.FilePath}' does not exist. Check the path (a relative one is resolved against the current directory).", failure.Message);
        Assert.False(File.Exists(_database.FilePath));
    }

    [Fact]
    public void OpenExisting_DatabaseOfAnotherApp_SaysItIsNotAHeraldLog_AndAddsNoTable()
    {
        _database.Execute("CREATE TABLE events (id INTEGER PRIMARY KEY, name TEXT);");

        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open(o => o.CreateIfMissing = false));

        Assert.StartsWith($"'{_database.FilePath}' is a SQLite database but not a Herald log", failure.Message, StringComparison.Ordinal);
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM sqlite_master WHERE name LIKE 'herald_%'"));
        Assert.Equal(0, _database.Scalar("SELECT count(*) FROM pragma_journal_mode WHERE journal_mode = 'wal'"));
    }

    [Fact]
    public void OpenExisting_FileThatIsNotADatabase_SaysSo()
    {
        File.WriteAllText(_database.FilePath, "order id,sku\n1,SKU-1\n2,SKU-2\n" + new string('x', 4096));

        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open(o => o.CreateIfMissing = false));

        Assert.StartsWith($"'{_database.FilePath}' is not a SQLite database", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenExisting_NewerSchema_AsksForANewerVersion()
    {
        await _database.Open().DisposeAsync();
        _database.Execute("INSERT INTO herald_schema (version, applied_at) VALUES (3, 0);");

        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open(o => o.CreateIfMissing = false));

        Assert.Contains("schema version 3, written by a newer Herald.Sqlite", failure.Message, StringComparison.Ordinal);
        Assert.Contains("dotnet tool update --global Herald.Cli", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OpenExisting_OlderSchema_IsNotMigrated()
    {
        await _database.Open().DisposeAsync();
        _database.Execute("DELETE FROM herald_schema; INSERT INTO herald_schema (version, applied_at) VALUES (1, 0);");

        var failure = Assert.Throws<InvalidOperationException>(() => _database.Open(o => o.CreateIfMissing = false));

        Assert.Contains("has schema version 1; this version reads schema 2", failure.Message, StringComparison.Ordinal);
        Assert.Equal(1, _database.Scalar("SELECT max(version) FROM herald_schema"));
    }
}
