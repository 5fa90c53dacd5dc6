using System.Globalization;
using Herald.Durable;
using Herald.Sqlite;
using Microsoft.Extensions.Configuration;

[assembly: HeraldTransport(typeof(SqliteTransport))]

namespace Herald.Sqlite;

/// <summary>
/// Selects the SQLite log from configuration: <c>Herald:Transport = Sqlite</c>, with the section
/// <c>Herald:Sqlite</c>: <c>ConnectionString</c> (required, for example <c>Data Source=events.db</c>),
/// <c>Synchronous</c> (<c>Normal</c> or <c>Full</c>) and <c>BusyTimeoutMs</c>. Read without reflection (AOT-safe).
/// </summary>
public sealed class SqliteTransport : IHeraldTransport
{
    /// <inheritdoc />
    public static string Name => SqliteEventLog.TransportName;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A key is missing or has a value that cannot be used; the message names it.</exception>
    public static void Configure(HeraldOptions options, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(section);
        var connectionString = section["ConnectionString"];
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new InvalidOperationException(
                "Herald:Transport is 'Sqlite', but Herald:Sqlite:ConnectionString is missing. Set it to the database file, " +
                "for example in appsettings.json: \"Herald\": { \"Transport\": \"Sqlite\", \"Sqlite\": { \"ConnectionString\": " +
                "\"Data Source=events.db\" } }, or in the environment: Herald__Sqlite__ConnectionString=\"Data Source=events.db\".");

        SqliteSynchronous? synchronous = null;
        if (section["Synchronous"] is { } synchronousText)
            synchronous = Enum.TryParse<SqliteSynchronous>(synchronousText, ignoreCase: true, out var parsed)
                          && Enum.IsDefined(parsed) && !char.IsAsciiDigit(synchronousText.TrimStart()[0])
                ? parsed
                : throw Invalid("Synchronous", synchronousText, "Normal or Full");

        TimeSpan? busyTimeout = null;
        if (section["BusyTimeoutMs"] is { } busyText)
            busyTimeout = int.TryParse(busyText, NumberStyles.Integer, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0
                ? TimeSpan.FromMilliseconds(milliseconds)
                : throw Invalid("BusyTimeoutMs", busyText, "a whole number of milliseconds, 0 or more");

        try
        {
            options.UseSqlite(connectionString, sqlite =>
            {
                if (synchronous is { } value)
                    sqlite.Synchronous = value;
                if (busyTimeout is { } timeout)
                    sqlite.BusyTimeout = timeout;
            });
        }
        catch (ArgumentException exception)
        {
            throw new InvalidOperationException($"Herald:Sqlite:ConnectionString cannot be used. {exception.Message}", exception);
        }
    }

    private static InvalidOperationException Invalid(string key, string value, string expected)
        => new($"Herald:Sqlite:{key} is '{value}'; expected {expected}.");
}
