using System.CommandLine;
using Herald.Durable;
using Herald.Postgres;
using Herald.Redis;
using Herald.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Herald.Cli;

/// <summary>
/// Opens the log the command line names, through the log contract only: <c>--sqlite FILE</c>, <c>--postgres CONN
/// [--schema NAME]</c>, <c>--redis CONFIGURATION [--key-prefix PREFIX]</c>, or <c>--config appsettings.json</c> (its
/// <c>Herald</c> section, read as the app reads it). A log is opened as it is, with each transport's
/// <c>CreateIfMissing = false</c>: a path, schema or prefix that names no log is an error, never a new empty log, and
/// an older schema is not migrated by the tool.
/// </summary>
/// <remarks>
/// A connection string or Redis configuration is never repeated in a message (it may hold a password): the transports'
/// errors name only host, port, database and user, or the endpoints, and so does <see cref="OpenedLog.Location"/>.
/// </remarks>
internal static class LogSource
{
    public static readonly Option<string?> Sqlite = new("--sqlite")
    {
        Description = "The SQLite database file of the log (Herald:Sqlite:ConnectionString's Data Source).",
        HelpName = "FILE",
        Recursive = true,
    };

    public static readonly Option<string?> Postgres = new("--postgres")
    {
        Description = "An Npgsql connection string of the database that holds the log (Herald:Postgres:ConnectionString). Prefer the environment for the password: Host=...;Username=... here, PGPASSWORD set.",
        HelpName = "CONN",
        Recursive = true,
    };

    public static readonly Option<string?> Schema = new("--schema")
    {
        Description = "With --postgres: the schema of the log (Herald:Postgres:Schema). Default: herald.",
        HelpName = "NAME",
        Recursive = true,
    };

    public static readonly Option<string?> Redis = new("--redis")
    {
        Description = "A StackExchange.Redis configuration of the server that holds the log (Herald:Redis:Configuration), e.g. localhost:6379.",
        HelpName = "CONFIGURATION",
        Recursive = true,
    };

    public static readonly Option<string?> KeyPrefix = new("--key-prefix")
    {
        Description = "With --redis: the key prefix of the log (Herald:Redis:KeyPrefix). Default: herald:.",
        HelpName = "PREFIX",
        Recursive = true,
    };

    public static readonly Option<string?> Config = new("--config")
    {
        Description = "An app's appsettings.json: the log its Herald section names (Transport and the transport's section), and its Herald:Retention policy.",
        HelpName = "FILE",
        Recursive = true,
    };

    /// <summary>The transports this tool opens, as configuration names them.</summary>
    public static IReadOnlyList<string> Transports { get; } = [SqliteEventLog.TransportName, PostgresEventLog.TransportName, RedisEventLog.TransportName];

    public static OpenedLog Open(ParseResult parse)
    {
        var sqlite = parse.GetValue(Sqlite);
        var postgres = parse.GetValue(Postgres);
        var redis = parse.GetValue(Redis);
        var config = parse.GetValue(Config);
        var schema = parse.GetValue(Schema);
        var keyPrefix = parse.GetValue(KeyPrefix);
        string[] named = [.. new[] { ("--sqlite", sqlite), ("--postgres", postgres), ("--redis", redis), ("--config", config) }.Where(o => o.Item2 is not null).Select(o => o.Item1)];
        if (named.Length == 2)
            throw new UsageException($"{named[0]} and {named[1]} both name a log; pass one of them.");
        if (named.Length > 2)
            throw new UsageException($"{string.Join(", ", named[..^1])} and {named[^1]} all name a log; pass one of them.");
        if (schema is not null && postgres is null)
            throw new UsageException(config is null
                ? "--schema goes with --postgres (the schema of a PostgreSQL log)."
                : "--schema goes with --postgres; with --config the schema is Herald:Postgres:Schema in the file.");
        if (keyPrefix is not null && redis is null)
            throw new UsageException(config is null
                ? "--key-prefix goes with --redis (the key prefix of a Redis log)."
                : "--key-prefix goes with --redis; with --config the prefix is Herald:Redis:KeyPrefix in the file.");
        if (sqlite is not null)
            return OpenSqlite(sqlite, retention: null);
        if (postgres is not null)
            return OpenPostgres(postgres, schema, retention: null, fromCommandLine: true);
        if (redis is not null)
            return OpenRedis(redis, keyPrefix, retention: null, fromCommandLine: true);
        if (config is not null)
            return OpenConfigured(config);
        throw new UsageException("Say which log to open: --sqlite FILE, --postgres CONN, --redis CONFIGURATION, or --config appsettings.json (the app's Herald section).");
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
        if (string.Equals(transport, PostgresEventLog.TransportName, StringComparison.OrdinalIgnoreCase))
        {
            var connectionString = section["ConnectionString"];
            if (string.IsNullOrWhiteSpace(connectionString))
                throw new OperatorException($"'{file}' sets Herald:Transport to Postgres but no Herald:Postgres:ConnectionString (the environment's Herald__Postgres__ConnectionString is not read: pass --postgres instead).");
            return OpenPostgres(connectionString, section["Schema"], retention, fromCommandLine: false);
        }
        if (string.Equals(transport, RedisEventLog.TransportName, StringComparison.OrdinalIgnoreCase))
        {
            var configuration = section["Configuration"];
            if (string.IsNullOrWhiteSpace(configuration))
                throw new OperatorException($"'{file}' sets Herald:Transport to Redis but no Herald:Redis:Configuration (the environment's Herald__Redis__Configuration is not read: pass --redis instead).");
            return OpenRedis(configuration, section["KeyPrefix"], retention, fromCommandLine: false);
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
            throw new OperatorException(Message(exception));
        }
    }

    private static OpenedLog OpenPostgres(string connectionString, string? schema, RetentionPolicy? retention, bool fromCommandLine)
    {
        var options = new PostgresOptions
        {
            ConnectionString = connectionString,
            CreateIfMissing = false,
            // The tool reads and writes a little and exits: it listens for no appends (tail --follow polls).
            Notifications = false,
            // A tool fails at once on a server that went away; the operator runs it again.
            ReconnectTimeout = TimeSpan.Zero,
        };
        if (schema is not null)
            options.Schema = schema;
        try
        {
            var log = new PostgresEventLog(options);
            // Where the log is, for display: the transport validated the string, so it parses; the password is left out.
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return new OpenedLog(log, $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "postgres"} schema {log.Schema}", retention);
        }
        catch (ArgumentException exception)
        {
            // The string or the schema name cannot be used (the message names which, never the string itself).
            throw fromCommandLine ? new UsageException(Message(exception)) : new OperatorException(Message(exception));
        }
        catch (InvalidOperationException exception)
        {
            throw new OperatorException(Message(exception));
        }
    }

    private static OpenedLog OpenRedis(string configuration, string? keyPrefix, RetentionPolicy? retention, bool fromCommandLine)
    {
        var options = new RedisOptions { Configuration = configuration, CreateIfMissing = false };
        if (keyPrefix is not null)
            options.KeyPrefix = keyPrefix;
        try
        {
            var log = new RedisEventLog(options);
            return new OpenedLog(log, $"{log.Endpoints} key prefix {log.KeyPrefix}", retention);
        }
        catch (ArgumentException exception)
        {
            throw fromCommandLine ? new UsageException(Message(exception)) : new OperatorException(Message(exception));
        }
        catch (InvalidOperationException exception)
        {
            throw new OperatorException(Message(exception));
        }
    }

    /// <summary>An exception's message on one line, without the "(Parameter 'x')" that names a parameter of ours.</summary>
    public static string Message(Exception exception)
    {
        var message = exception.Message;
        if (exception is ArgumentException { ParamName: { } name })
            message = message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal);
        return OneLine(message);
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

    /// <summary>A message on one line with anything after a <c>password=</c> hidden (StackExchange.Redis messages may echo options).</summary>
    public static string Redacted(string message)
    {
        var line = OneLine(message);
        var at = line.IndexOf("password=", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
            return line;
        var end = line.IndexOfAny([',', ' ', ';', ')'], at);
        return line[..at] + "password=*****" + (end < 0 ? string.Empty : line[end..]);
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
