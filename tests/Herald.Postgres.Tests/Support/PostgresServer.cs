using Npgsql;

namespace Herald.Postgres.Tests.Support;

/// <summary>
/// The server the tests talk to: <c>HERALD_TEST_POSTGRES</c> (an Npgsql connection string), which
/// <c>eng/servers/postgres.sh start &lt;folder&gt;</c> prints and <c>eng/test.sh</c> exports. Without it a test fails
/// and says how to start the server; none is skipped.
/// </summary>
public static class PostgresServer
{
    public const string Variable = "HERALD_TEST_POSTGRES";

    /// <summary>The connection string of the test server.</summary>
    public static string ConnectionString
        => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests have no server. Run them with eng/test.sh (it starts one), or start one by hand: " +
                $"eng/servers/postgres.sh start /tmp/pg, then export the {Variable}=... line it prints (eng/servers/postgres.sh stop /tmp/pg stops it).");

    /// <summary>A schema name no other test uses: <paramref name="prefix"/>_ and 32 hex digits.</summary>
    public static string NewSchema(string prefix = "test") => $"{prefix}_{Guid.NewGuid():N}";

    /// <summary>
    /// The server's connection string with <paramref name="schema"/> first on the search path, so that the tests' own
    /// unqualified tables (a handler's ledger) land in the log's schema too, isolated like the log.
    /// </summary>
    public static string ConnectionStringFor(string schema)
        => new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;

    /// <summary>A new open connection (outside any log), with <paramref name="schema"/> on the search path when given.</summary>
    public static async Task<NpgsqlConnection> ConnectAsync(string? schema = null)
    {
        var connection = new NpgsqlConnection(schema is null ? ConnectionString : ConnectionStringFor(schema));
        await connection.OpenAsync();
        return connection;
    }

    /// <summary>Runs <paramref name="sql"/> and returns its first column of the first row.</summary>
    public static async Task<object?> ScalarAsync(string sql, string? schema = null)
    {
        await using var connection = await ConnectAsync(schema);
        await using var command = new NpgsqlCommand(sql, connection);
        var value = await command.ExecuteScalarAsync();
        return value is DBNull ? null : value;
    }

    /// <summary>Drops the schemas (and everything in them); the tests' clean-up.</summary>
    public static async Task DropSchemasAsync(IReadOnlyCollection<string> schemas)
    {
        if (schemas.Count == 0)
            return;
        await using var connection = await ConnectAsync();
        foreach (var schema in schemas)
        {
            await using var drop = new NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
