using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Herald.EntityFrameworkCore.Tests;

/// <summary>The EF Core outbox on SQLite (Microsoft.EntityFrameworkCore.Sqlite): the log and the orders in one file.</summary>
public sealed class SqliteEfOutboxTests : EfOutboxSpecification
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-ef-sqlite-").FullName;

    private string Database => Path.Combine(_folder, "shop.db");

    protected override void UseLog(HeraldOptions options) => options.UseSqlite($"Data Source={Database}");

    protected override void UseDatabase(DbContextOptionsBuilder<ShopContext> builder) => builder.UseSqlite($"Data Source={Database}");

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
