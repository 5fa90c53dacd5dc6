using Microsoft.EntityFrameworkCore;

namespace Herald.EntityFrameworkCore.Tests;

/// <summary>The EF Core outbox on PostgreSQL (Npgsql.EntityFrameworkCore.PostgreSQL): the log and the orders in one new schema.</summary>
public sealed class PostgresEfOutboxTests : EfOutboxSpecification
{
    private readonly string _schema = PostgresServer.NewSchema("ef");

    protected override void UseLog(HeraldOptions options)
        => options.UsePostgres(PostgresServer.ConnectionStringFor(_schema), p => p.Schema = _schema);

    // The search path puts the context's unqualified tables in the log's schema.
    protected override void UseDatabase(DbContextOptionsBuilder<ShopContext> builder)
        => builder.UseNpgsql(PostgresServer.ConnectionStringFor(_schema));

    public override Task DisposeAsync() => PostgresServer.DropSchemasAsync([_schema]);
}
