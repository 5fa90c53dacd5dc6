using Herald.Durable.Tests;
using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The crash scenarios (<see cref="TransactionalCrashScenarioSpecification"/>) on PostgreSQL: the crash app on
/// <c>Postgres:&lt;connection&gt;</c> with a schema of this test's own (first on the search path, so the consumer
/// "ledger" writes its table there, through the handler's transaction), dropped at the end.
/// </summary>
public sealed class PostgresCrashScenarioTests : TransactionalCrashScenarioSpecification
{
    private readonly string _schema = PostgresServer.NewSchema("crash");

    protected override string Log => "Postgres:" + PostgresServer.ConnectionStringFor(_schema);

    protected override IReadOnlyDictionary<string, string> TransportSettings
        => new Dictionary<string, string> { ["Herald__Postgres__Schema"] = _schema };

    protected override async Task<IEventLog> OpenLogAsync()
        => await PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = PostgresServer.ConnectionStringFor(_schema), Schema = _schema, Notifications = false });

    protected override async Task<List<long>> ReadLedgerAsync()
    {
        await using var connection = await PostgresServer.ConnectAsync(_schema);
        await using var select = new NpgsqlCommand("SELECT sequence FROM ledger ORDER BY sequence", connection);
        var sequences = new List<long>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sequences.Add(reader.GetInt32(0));
        return sequences;
    }

    public override async Task DisposeAsync()
    {
        await PostgresServer.DropSchemasAsync([_schema]);
        await base.DisposeAsync();
    }
}
