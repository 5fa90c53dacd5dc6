using System.Data.Common;
using Herald.Durable.Specification;

namespace Herald.Postgres.Tests;

/// <summary>
/// The durable log contract, with the handler's transaction, on <see cref="PostgresEventLog"/>: a new schema per log
/// (also first on the search path, so the suite's own ledger table is the log's too).
/// </summary>
public sealed class PostgresEventLogSpecification : TransactionalEventLogSpecification
{
    private readonly List<string> _schemas = [];

    protected override async ValueTask<IEventLog> CreateLogAsync(int partitions)
    {
        var schema = PostgresServer.NewSchema("spec");
        lock (_schemas)
            _schemas.Add(schema);
        return await PostgresEventLog.OpenAsync(new PostgresOptions
        {
            ConnectionString = PostgresServer.ConnectionStringFor(schema),
            Schema = schema,
            Partitions = partitions,
        });
    }

    protected override async Task<DbConnection> ConnectAsync(IEventLog log)
        => await PostgresServer.ConnectAsync(((PostgresEventLog)log).Schema);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await PostgresServer.DropSchemasAsync(_schemas);
    }
}
