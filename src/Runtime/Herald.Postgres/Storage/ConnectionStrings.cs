using Npgsql;

namespace Herald.Postgres.Storage;

/// <summary>
/// Connection strings as they may appear in messages: only where the log is (host, port, database, user), never the
/// password or any other setting, so an exception or a log line cannot leak a secret.
/// </summary>
internal static class ConnectionStrings
{
    /// <summary>Parses <paramref name="connectionString"/>; the exception never repeats the string.</summary>
    /// <exception cref="ArgumentException">The string is empty or not an Npgsql connection string.</exception>
    public static NpgsqlConnectionStringBuilder Parse(string? connectionString, string parameterName)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException(
                "The PostgreSQL connection string is empty: set it to, for example, Host=localhost;Database=app;Username=app;Password=...", parameterName);
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            if (string.IsNullOrWhiteSpace(builder.Host))
                throw new ArgumentException("The PostgreSQL connection string has no Host: add Host=<server> (and Database=, Username=, Password=).", parameterName);
            return builder;
        }
        catch (ArgumentException exception) when (exception.ParamName != parameterName)
        {
            // Npgsql's message names the bad keyword, never the value; the string itself is not repeated.
            throw new ArgumentException($"The PostgreSQL connection string cannot be read: {Masked(exception.Message)}", parameterName);
        }
        catch (Exception exception) when (exception is FormatException or KeyNotFoundException or InvalidCastException)
        {
            throw new ArgumentException($"The PostgreSQL connection string cannot be read: {Masked(exception.Message)}", parameterName);
        }
    }

    /// <summary>Where the log is, for messages: <c>host:port/database as user</c>.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder)
        => $"{builder.Host}:{builder.Port}/{builder.Database ?? "(default database)"}{(builder.Username is { } user ? $" as {user}" : string.Empty)}";

    // A message that quotes a value after "=" is cut there: what follows could be a password.
    private static string Masked(string message)
    {
        var equals = message.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? message : message[..equals] + "=(value hidden)";
    }
}
