using Herald.Postgres;
using Herald.Postgres.Storage;

namespace Herald;

/// <summary>Selects the PostgreSQL durable log (<see cref="PostgresEventLog"/>).</summary>
public static class PostgresHeraldOptionsExtensions
{
    /// <summary>
    /// Keeps durable events in the PostgreSQL database that <paramref name="connectionString"/> names, in the schema
    /// <c>herald</c> unless <paramref name="configure"/> sets another (created on first use). The connection string
    /// and the schema are checked here; the database is connected to when the app first uses the durable log. Events
    /// that cannot be appended go to <see cref="HeraldOptions.DeadLetterFile"/> (default <c>dead-letters.jsonl</c>).
    /// </summary>
    /// <param name="options">Herald's options.</param>
    /// <param name="connectionString">For example <c>Host=db;Database=app;Username=app;Password=...</c>.</param>
    /// <param name="configure">Changes the PostgreSQL settings (schema, partitions, reconnect timeout); may be null.</param>
    /// <returns>The same options.</returns>
    /// <exception cref="ArgumentException">The connection string or the schema cannot be used; the message says why (and never repeats the string).</exception>
    public static HeraldOptions UsePostgres(this HeraldOptions options, string connectionString, Action<PostgresOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var postgres = new PostgresOptions { ConnectionString = connectionString };
        configure?.Invoke(postgres);
        var checkedOptions = postgres.Clone();
        ConnectionStrings.Parse(checkedOptions.ConnectionString, nameof(connectionString));
        SchemaName.Validate(checkedOptions.Schema, nameof(configure));
        return options.UseLog(PostgresEventLog.TransportName, _ =>
        {
            checkedOptions.Partitions ??= options.Partitions;
            return new PostgresEventLog(checkedOptions);
        });
    }
}
