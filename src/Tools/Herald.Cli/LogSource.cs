using System.CommandLine;
using Herald.Durable;
using Herald.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;

namespace Herald.Cli;

/// <summary>
/// Opens the log the command line names, through the log contract only: <c>--sqlite FILE</c>, or <c>--config
/// appsettings.json</c> (its <c>Herald</c> section, read as the app reads it). A log is opened as it is: a path that
/// names no log is an error, never a new empty log, and an older schema is not migrated by the tool.
/// </summary>
/// <remarks>
/// A transport plugs in here with one option and one case in <see cref="OpenTransport"/>; PostgreSQL and Redis are
/// added when their packages are on main (they must open without creating a schema too).
/// </remarks>
internal static class LogSource
{
    public static readonly Option<string?> Sqlite = new("--sqlite")
    {
        Description = "The SQLite database file of the log (Herald:Sqlite:ConnectionString's Data Source).",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "An app's appsettings.json: the log its Herald section names (Transport and the transport's section), and its Herald:Retention policy.",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>The transports this tool opens, as configuration names them.</summary>
    public static IReadOnlyList<string> Transports { get; } = [SqliteEventLog.TransportName];

    public static OpenedLog Open(ParseResult parse)
    {
        var sqlite = parse.GetValue(Sqlite);
        var config = parse.GetValue(Config);
        if (sqlite is not null && config is not null)
            throw new UsageException("--sqlite and --config both name a log; pass one of them.");
        if (sqlite is not null)
            return OpenSqlite(sqlite, retention: null);
        if (config is not null)
            return OpenConfigured(config);
        throw new UsageException("Say which log to open: --sqlite FILE, or --config appsettings.json (the app's Herald section).");
    }

    private static OpenedLog OpenConfigured(string path)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new OperatorException($"The configuration file '{full}' does not exist.");
        IConfigurationRoot root;
        try
        {
            root = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (Exception exception) when (exception is FormatException or InvalidDataException or IOException)
        {
            throw new OperatorException($"'{full}' cannot be read as JSON configuration: {OneLine(exception.InnerException?.Message ?? exception.Message)}");
        }
        var section = root.GetSection("Herald");
        var transport = section["Transport"];
        if (string.IsNullOrWhiteSpace(transport))
            throw new OperatorException(
                $"'{full}' sets no Herald:Transport, so the app keeps its durable events in memory, which only its own process can see. herald opens: {string.Join(", ", Transports)}.");
        var retention = ReadRetention(section, full);
        return OpenTransport(transport, section.GetSection(transport), full, retention);
    }

    private static OpenedLog OpenTransport(string transport, IConfigurationSection section, string file, RetentionPolicy retention)
    {
        if (string.Equals(transport, SqliteEventLog.TransportName, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = section["ConnectionString"];
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new OperatorException($"'{file}' sets Herald:Transport to Sqlite but no Herald:Sqlite:ConnectionString.");
            SqliteConnectionStringBuilder builder;
            try
            {
                builder = new SqliteConnectionStringBuilder(connectionString);
            }
            catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidOperationException)
            {
                throw new OperatorException($"Herald:Sqlite:ConnectionString in '{file}' is not a valid SQLite connection string.");
            }
            if (string.IsNullOrWhiteSpace(builder.DataSource))
                throw new OperatorException($"Herald:Sqlite:ConnectionString in '{file}' names no Data Source.");
            // A relative Data Source is resolved against the current directory, as the app resolves it against its own:
            // run herald where the app runs (or pass --sqlite with the file's path).
            return OpenSqlite(Path.GetFullPath(builder.DataSource), retention);
        }
        if (string.Equals(transport, InMemoryEventLog.TransportName, StringComparison.OrdinalIgnoreCase))
            throw new OperatorException(
                $"'{file}' sets Herald:Transport to InMemory: that log lives only inside the app's process, so there is nothing for herald to open.");
        throw new OperatorException(
            $"'{file}' sets Herald:Transport to '{transport}', which this herald does not open; it opens: {string.Join(", ", Transports)}. Update the tool (dotnet tool update --global Herald.Cli).");
    }

    private static OpenedLog OpenSqlite(string file, RetentionPolicy? retention)
    {
        var full = Path.GetFullPath(file);
        var options = new SqliteOptions
        {
            ConnectionString = new SqliteConnectionStringBuilder { DataSource = full }.ToString(),
            CreateIfMissing = false,
        };
        try
        {
            return new OpenedLog(new SqliteEventLog(options), full, retention);
        }
        catch (Exception exception) when (exception is InvalidOperationException or ArgumentException)
        {
            throw new OperatorException(OneLine(exception.Message));
        }
    }

    // The same keys and formats as the app's AddHerald(configuration) reads (Herald:Retention:MaxAge, :MaxEvents).
    private static RetentionPolicy ReadRetention(IConfigurationSection section, string file)
    {
        var policy = new RetentionPolicy();
        if (section["Retention:MaxAge"] is { } maxAge)
            policy.MaxAge = TimeSpan.TryParse(maxAge, System.Globalization.CultureInfo.InvariantCulture, out var age) && age >= TimeSpan.Zero
                ? age
                : throw new OperatorException($"Herald:Retention:MaxAge in '{file}' is '{maxAge}'; expected a time span such as 7.00:00:00 (7 days).");
        if (section["Retention:MaxEvents"] is { } maxEvents)
            policy.MaxEvents = long.TryParse(maxEvents, System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var count) && count >= 0
                ? count
                : throw new OperatorException($"Herald:Retention:MaxEvents in '{file}' is '{maxEvents}'; expected a whole number of events, 0 or more.");
        return policy;
    }

    public static string OneLine(string message)
        => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}

/// <summary>An open log, what it is (for people: the file), and the retention policy its configuration sets.</summary>
internal sealed class OpenedLog(IEventLog log, string location, RetentionPolicy? configuredRetention) : IAsyncDisposable
{
    public IEventLog Log { get; } = log;

    /// <summary>Where the log is, for display: a file path (never a connection string, which may hold a secret).</summary>
    public string Location { get; } = location;

    /// <summary>Herald:Retention from --config; null with --sqlite.</summary>
    public RetentionPolicy? ConfiguredRetention { get; } = configuredRetention;

    public DurableLogAdmin Admin { get; } = new(log);

    public ValueTask DisposeAsync() => Log.DisposeAsync();
}
