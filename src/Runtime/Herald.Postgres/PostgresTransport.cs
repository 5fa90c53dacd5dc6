using System.Globalization;
using Herald.Durable;
using Herald.Postgres;
using Microsoft.Extensions.Configuration;

[assembly: HeraldTransport(typeof(PostgresTransport))]

namespace Herald.Postgres;

/// <summary>
/// Selects the PostgreSQL log from configuration: <c>Herald:Transport = Postgres</c>, with the section
/// <c>Herald:Postgres</c>: <c>ConnectionString</c> (required), <c>Schema</c> (default <c>herald</c>),
/// <c>ReconnectTimeoutMs</c>, <c>Notifications</c> and <c>PrepareStatements</c> (true or false). Read without
/// reflection (AOT-safe).
/// </summary>
public sealed class PostgresTransport : IHeraldTransport
{
    /// <inheritdoc />
    public static string Name => PostgresEventLog.TransportName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A key is missing or has a value that cannot be used; the message names it (never the connection string's value).</exception>
    public static void Configure(HeraldOptions options, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "Herald:Transport is 'Postgres', but Herald:Postgres:ConnectionString is missing. Set it, for example in appsettings.json: " +
                "\"Herald\": { \"Transport\": \"Postgres\", \"Postgres\": { \"ConnectionString\": \"Host=localhost;Database=app;Username=app;Password=...\" } }, " +
                "or in the environment: Herald__Postgres__ConnectionString=\"Host=...\" (keep the password in a secret store, not in the file).");
        var schema = section["Schema"];

        TimeSpan? reconnect = null;
        if (section["ReconnectTimeoutMs"] is { } reconnectText)
            reconnect = int.TryParse(reconnectText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0
                ? TimeSpan.FromMilliseconds(milliseconds)
                : throw new InvalidOperationException($"Herald:Postgres:ReconnectTimeoutMs is '{reconnectText}'; expected a whole number of milliseconds, 0 or more.");
        bool? notifications = null;
        if (section["Notifications"] is { } notificationsText)
            notifications = bool.TryParse(notificationsText, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Herald:Postgres:Notifications is '{notificationsText}'; expected true or false.");
        bool? prepare = null;
        if (section["PrepareStatements"] is { } prepareText)
            prepare = bool.TryParse(prepareText, out var parsed)
                ? parsed
                : throw new InvalidOperationException($"Herald:Postgres:PrepareStatements is '{prepareText}'; expected true or false.");

        try
        {
            options.UsePostgres(connectionString, postgres =>
            {
                if (schema is not null)
                    postgres.Schema = schema;
                if (reconnect is { } timeout)
                    postgres.ReconnectTimeout = timeout;
                if (notifications is { } listen)
                    postgres.Notifications = listen;
                if (prepare is { } prepared)
                    postgres.PrepareStatements = prepared;
            });
        }
        catch (ArgumentException exception) when (exception.ParamName == "configure")
        {
            throw new InvalidOperationException($"Herald:Postgres:Schema cannot be used. {exception.Message}", exception);
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"Herald:Postgres:ConnectionString cannot be used. {exception.Message}", exception);
        }
    }
}
