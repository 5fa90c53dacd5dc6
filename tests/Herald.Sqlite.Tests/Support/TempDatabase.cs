using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests.Support;

/// <summary>A database file in a folder of its own under the temporary directory; the folder is deleted on dispose.</summary>
public sealed class TempDatabase : IAsyncDisposable
{
    private readonly List<SqliteEventLog> _logs = [];

    public TempDatabase(string fileName = "events.db")
    {
        Folder = Path.Combine(Path.GetTempPath(), "herald-sqlite-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        FilePath = Path.Combine(Folder, fileName);
    }

    public string Folder { get; }

    public string FilePath { get; }

    public string ConnectionString => $"Data Source={FilePath}";

    /// <summary>
    /// Opens a log on the file (one partition unless <paramref name="configure"/> says otherwise: these tests are about
    /// SQLite, the contract's partitions are the specification's); disposed with this object unless the test does it.
    /// </summary>
    public SqliteEventLog Open(Action<SqliteOptions>? configure = null)
    {
        var options = new SqliteOptions { ConnectionString = ConnectionString, Partitions = 1 };
        configure?.Invoke(options);
        var log = new SqliteEventLog(options);
        _logs.Add(log);
        return log;
    }

    /// <summary>A plain connection to the file, outside the log, as another process or a handler's own code would use.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection($"Data Source={FilePath};Pooling=False");
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public void Execute(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
            await log.DisposeAsync();
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}
