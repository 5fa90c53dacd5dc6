using Herald.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Durable.Tests;

/// <summary>The crash scenarios (<see cref="TransactionalCrashScenarioSpecification"/>) on a real SQLite file.</summary>
public sealed class SqliteCrashScenarioTests : TransactionalCrashScenarioSpecification
{
    private string Database => Path.Combine(Folder, "log.db");

    protected override string Log => Database;

    protected override Task<IEventLog> OpenLogAsync()
        => Task.FromResult<IEventLog>(new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={Database}" }));

    protected override async Task<List<long>> ReadLedgerAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={Database}");
        await connection.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT sequence FROM ledger ORDER BY sequence";
        var sequences = new List<long>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sequences.Add(reader.GetInt64(0));
        return sequences;
    }

    public override Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return base.DisposeAsync();
    }
}
