using System.Data.Common;
using Herald.Durable.Specification;
using Microsoft.Data.Sqlite;

namespace Herald.Sqlite.Tests;

/// <summary>The durable log contract, with the handler's transaction, on <see cref="SqliteEventLog"/>: a new file per log.</summary>
public sealed class SqliteEventLogSpecification : TransactionalEventLogSpecification
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-sqlite-spec-").FullName;

    protected override ValueTask<IEventLog> CreateLogAsync(int partitions)
        => ValueTask.FromResult<IEventLog>(new SqliteEventLog(new SqliteOptions
        {
            ConnectionString = $"Data Source={Path.Combine(_folder, $"{Guid.NewGuid():N}.db")}",
            Partitions = partitions,
        }));

    protected override async Task<DbConnection> ConnectAsync(IEventLog log)
    {
        var connection = new SqliteConnection($"Data Source={((SqliteEventLog)log).DatabasePath};Pooling=False");
        await connection.OpenAsync();
        return connection;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }
}
