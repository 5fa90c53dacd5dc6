using System.Text;

namespace Herald.Postgres.Tests.Support;

/// <summary>Logs of a test class, each in a new schema (or several on one), disposed and dropped at the end.</summary>
public sealed class LogSchemas : IAsyncDisposable
{
    private readonly List<string> _schemas = [];
    private readonly List<PostgresEventLog> _logs = [];

    /// <summary>A new schema name, dropped at the end.</summary>
    public string New(string prefix = "test")
    {
        var schema = PostgresServer.NewSchema(prefix);
        lock (_schemas)
            _schemas.Add(schema);
        return schema;
    }

    /// <summary>Opens a log on <paramref name="schema"/> (a new one when null), disposed at the end.</summary>
    public async Task<PostgresEventLog> OpenAsync(string? schema = null, int partitions = 1, Action<PostgresOptions>? configure = null)
    {
        schema ??= New();
        var options = new PostgresOptions { ConnectionString = PostgresServer.ConnectionStringFor(schema), Schema = schema, Partitions = partitions };
        configure?.Invoke(options);
        var log = await PostgresEventLog.OpenAsync(options);
        lock (_logs)
            _logs.Add(log);
        return log;
    }

    /// <summary>An envelope with <paramref name="key"/> and a small payload naming <paramref name="name"/>.</summary>
    public static EventEnvelope Envelope(string name, string? key = "k")
        => new(Guid.CreateVersion7(), "pg-tests.note", 1, DateTimeOffset.UtcNow, key, null, Encoding.UTF8.GetBytes($$"""{"name":"{{name}}"}"""));

    /// <summary>The name in an envelope made by <see cref="Envelope"/>.</summary>
    public static string NameOf(EventEnvelope envelope)
        => System.Text.Json.JsonDocument.Parse(envelope.Payload).RootElement.GetProperty("name").GetString()!;

    public async ValueTask DisposeAsync()
    {
        foreach (var log in _logs)
            await log.DisposeAsync();
        await PostgresServer.DropSchemasAsync(_schemas);
    }
}
