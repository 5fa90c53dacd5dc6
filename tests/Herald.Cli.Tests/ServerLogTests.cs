using Herald.Cli.Tests.Support;

namespace Herald.Cli.Tests;

/// <summary>
/// The installed tool on a log the durable sample wrote on a server (<see cref="PostgresLogTests"/>,
/// <see cref="RedisLogTests"/>), with a broken search index: 6 orders, stock and risk handled them, search-index
/// dead-lettered all 6. Each test has a log of its own (a new schema or key prefix), removed when it ends.
/// </summary>
public abstract class ServerLogTests(InstalledTool herald) : IAsyncLifetime
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"herald-cli-server-{Guid.NewGuid():N}");

    protected InstalledTool Herald { get; } = herald;

    protected string Folder => _folder;

    /// <summary>The transport's name, as status reports it.</summary>
    protected abstract string Transport { get; }

    /// <summary>The sample's arguments that put its log on the server, in <paramref name="place"/> (a schema or a key prefix).</summary>
    protected abstract string[] SampleArguments(string place);

    /// <summary>herald's arguments that open the log in <paramref name="place"/>.</summary>
    protected abstract string[] Connection(string place);

    /// <summary>The Herald section of an app's appsettings.json for the log in <paramref name="place"/>.</summary>
    protected abstract string ConfigurationSection(string place);

    /// <summary>A new schema or key prefix, removed when the test ends.</summary>
    protected abstract string NewPlace();

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        return Task.CompletedTask;
    }

    public virtual Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    protected async Task<string> WriteBrokenLogAsync()
    {
        var place = NewPlace();
        var run = await SampleLogs.RunSampleAsync(_folder, [.. SampleArguments(place), "--Sample:BreakSearchIndex=true"]);
        Assert.Contains("dead letters: 6", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains($"transport: {Transport}", run.StandardOutput, StringComparison.Ordinal);
        return place;
    }

    protected Task<ProcessResult> RunAsync(string place, params string[] arguments) => Herald.RunAsync(_folder, [.. arguments, .. Connection(place)]);

    [Fact]
    public async Task StatusConsumersTailAndDeadLetters_ReadTheServersLog()
    {
        var place = await WriteBrokenLogAsync();

        var status = Json.Parse(await RunAsync(place, "status", "--json"));
        Assert.Equal(Transport, status.Text("transport"));
        Assert.Equal(8, status.Number("partitions"));
        Assert.Equal(6, status.Number("events"));
        Assert.Equal(["risk", "search-index", "stock"], status.Items("consumers").Select(c => c.Text("consumer")));
        Assert.All(status.Items("consumers"), c => Assert.Equal(0, c.Number("lag")));
        Assert.Equal(6, status.Number("deadLetters"));

        var rows = Json.Parse(await RunAsync(place, "consumers", "--consumer", "search-index", "--json")).Items("consumers").ToList();
        Assert.Equal(Enumerable.Range(0, 8), rows.Select(r => (int)r.Number("partition")));
        Assert.All(rows, r => Assert.Equal(r.Number("last"), r.Number("offset")));
        Assert.All(rows, r => Assert.Equal(r.Number("last"), r.Number("deadLetters")));

        var byKey = Json.Lines(await RunAsync(place, "tail", "--key", "SKU-2", "--json"));
        Assert.Equal([1L, 2L], byKey.Select(e => e.Number("position")));
        Assert.All(byKey, e => Assert.Equal("SKU-2", e.GetProperty("payload").Text("sku")));

        var list = Json.Parse(await RunAsync(place, "dead-letters", "list", "--consumer", "search-index", "--json"));
        Assert.Equal(6, list.Number("total"));
        var first = list.Items("deadLetters").First();
        var shown = Json.Parse(await RunAsync(place, "dead-letters", "show", $"{first.Number("id")}", "--json"));
        Assert.Equal("search-index", shown.Text("consumer"));
        Assert.Equal(4, shown.Number("attempts"));
        Assert.Contains("search index rejected order", shown.Text("exception"), StringComparison.Ordinal);
        Assert.Equal("orders.created", shown.GetProperty("envelope").Text("type"));
    }

    [Fact]
    public async Task ReplayAndOffsetsSet_ChangeTheServersLog()
    {
        var place = await WriteBrokenLogAsync();
        var first = Json.Parse(await RunAsync(place, "dead-letters", "list", "--json")).Items("deadLetters").First().Number("id");

        var replayed = Json.Parse(await RunAsync(place, "dead-letters", "replay", $"{first}", "--json"));
        Assert.Equal(1, replayed.Number("replayed"));
        var afterReplay = Json.Parse(await RunAsync(place, "status", "--json"));
        Assert.Equal(5, afterReplay.Number("deadLetters"));
        Assert.Equal(7, afterReplay.Number("events"));
        var missing = await RunAsync(place, "dead-letters", "show", $"{first}");
        Assert.Equal(1, missing.ExitCode);

        var moved = Json.Parse(await RunAsync(place, "offsets", "set", "stock", "--earliest", "--yes", "--json"));
        Assert.Equal("stock", moved.Text("consumer"));
        Assert.All(moved.Items("offsets"), o => Assert.Equal(0, o.Number("to")));
        var lag = Json.Parse(await RunAsync(place, "status", "--json")).Items("consumers").ToDictionary(c => c.Text("consumer"), c => c.Number("lag"));
        Assert.Equal(7, lag["stock"]);
        Assert.Equal(1, lag["risk"]); // the replayed copy, appended for every consumer
    }

    [Fact]
    public async Task RetentionApply_DryRunSaysWhatApplyThenRemoves_OnTheServersLog()
    {
        var place = await WriteBrokenLogAsync();

        var dryRun = Json.Parse(await RunAsync(place, "retention", "apply", "--dry-run", "--max-events", "2", "--json"));
        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.Equal(4, dryRun.Number("removed"));
        Assert.Equal(4, dryRun.Items("partitions").Sum(p => p.Number("count")));
        Assert.Empty(dryRun.Items("consumersLeftBehind")); // every consumer has handled all 6
        Assert.Equal(6, Json.Parse(await RunAsync(place, "status", "--json")).Number("events"));

        var applied = Json.Parse(await RunAsync(place, "retention", "apply", "--max-events", "2", "--json"));
        Assert.False(applied.GetProperty("dryRun").GetBoolean());
        Assert.Equal(4, applied.Number("removed"));
        Assert.Equal(2, Json.Parse(await RunAsync(place, "status", "--json")).Number("events"));
    }

    [Fact]
    public async Task Config_WithTheAppsTransport_OpensTheSameLog()
    {
        var place = await WriteBrokenLogAsync();
        await File.WriteAllTextAsync(Path.Combine(Folder, "appsettings.json"), $$"""{ "Herald": { {{ConfigurationSection(place)}} } }""");

        var status = Json.Parse(await Herald.RunAsync(Folder, ["status", "--config", "appsettings.json", "--json"]));

        Assert.Equal(Transport, status.Text("transport"));
        Assert.Equal(6, status.Number("deadLetters"));
    }

    [Fact]
    public async Task APlaceWithoutALog_IsOneLine_AndNothingIsCreated()
    {
        var place = NewPlace();
        await PrepareNotALogAsync(place);

        var result = await RunAsync(place, "status");

        Assert.Equal(1, result.ExitCode);
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("herald: ", line, StringComparison.Ordinal);
        Assert.Contains(ExpectedNotALog, line, StringComparison.Ordinal);
        Assert.Contains("Nothing was created", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
        await AssertNothingCreatedAsync(place);
    }

    /// <summary>Prepares <paramref name="place"/> as something that is not a Herald log (or leaves it empty).</summary>
    protected abstract Task PrepareNotALogAsync(string place);

    protected abstract string ExpectedNotALog { get; }

    protected abstract Task AssertNothingCreatedAsync(string place);

    /// <summary>Checks an error line: one line, herald's prefix, exit <paramref name="exitCode"/>, no secret in it.</summary>
    protected static string AssertOneLine(ProcessResult result, int exitCode, string secret)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        var line = Assert.Single(result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("herald: ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.StandardError + result.StandardOutput, StringComparison.Ordinal);
        return line;
    }
}

[Collection(ToolCollection.Name)]
public sealed class PostgresLogTests(InstalledTool herald) : ServerLogTests(herald)
{
    private readonly List<string> _schemas = [];

    protected override string Transport => "Postgres";

    protected override string[] SampleArguments(string place)
        => ["--Herald:Transport=Postgres", $"--Herald:Postgres:ConnectionString={Servers.Postgres}", $"--Herald:Postgres:Schema={place}"];

    protected override string[] Connection(string place) => ["--postgres", Servers.Postgres, "--schema", place];

    protected override string ConfigurationSection(string place)
        => $$""" "Transport": "Postgres", "Postgres": { "ConnectionString": "{{Servers.Postgres}}", "Schema": "{{place}}" } """;

    protected override string NewPlace()
    {
        var schema = Servers.NewSchema();
        _schemas.Add(schema);
        return schema;
    }

    protected override string ExpectedNotALog => "holds no Herald log";

    protected override async Task PrepareNotALogAsync(string place)
    {
        await Servers.PostgresScalarAsync($"CREATE SCHEMA \"{place}\"; CREATE TABLE \"{place}\".orders (id int)");
    }

    protected override async Task AssertNothingCreatedAsync(string place)
    {
        var tables = await Servers.PostgresScalarAsync("SELECT string_agg(table_name, ',') FROM information_schema.tables WHERE table_schema = $1", place);
        Assert.Equal("orders", tables);
    }

    [Fact]
    public async Task AMissingSchema_IsOneLine_AndIsNotCreated()
    {
        var place = NewPlace();

        var line = AssertOneLine(await RunAsync(place, "consumers"), 1, "herald-test");

        Assert.Contains($"There is no schema '{place}'", line, StringComparison.Ordinal);
        Assert.False((bool)(await Servers.PostgresScalarAsync("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)", place))!);
    }

    [Fact]
    public async Task AnUnreachableServer_IsOneLine_WithoutThePassword()
    {
        var line = AssertOneLine(await Herald.RunAsync(Folder, ["status", "--postgres", "Host=127.0.0.1;Port=1;Username=ops;Password=s3cret-pw;Database=orders"]), 1, "s3cret-pw");

        Assert.Contains("cannot reach 127.0.0.1:1/orders as ops", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadSchemaName_IsBadUsage()
    {
        var line = AssertOneLine(await Herald.RunAsync(Folder, ["status", "--postgres", Servers.Postgres, "--schema", "orders; DROP TABLE x"]), 2, "herald-test");

        Assert.Contains("is not accepted", line, StringComparison.Ordinal);
    }

    public override async Task DisposeAsync()
    {
        foreach (var schema in _schemas)
            await Servers.DropSchemaAsync(schema);
        await base.DisposeAsync();
    }
}

[Collection(ToolCollection.Name)]
public sealed class RedisLogTests(InstalledTool herald) : ServerLogTests(herald)
{
    private readonly List<string> _prefixes = [];

    protected override string Transport => "Redis";

    protected override string[] SampleArguments(string place)
        => ["--Herald:Transport=Redis", $"--Herald:Redis:Configuration={Servers.Redis}", $"--Herald:Redis:KeyPrefix={place}"];

    protected override string[] Connection(string place) => ["--redis", Servers.Redis, "--key-prefix", place];

    protected override string ConfigurationSection(string place)
        => $$""" "Transport": "Redis", "Redis": { "Configuration": "{{Servers.Redis}}", "KeyPrefix": "{{place}}" } """;

    protected override string NewPlace()
    {
        var prefix = Servers.NewPrefix();
        _prefixes.Add(prefix);
        return prefix;
    }

    protected override string ExpectedNotALog => "There is no Herald log under the key prefix";

    // An empty prefix: nothing there.
    protected override Task PrepareNotALogAsync(string place) => Task.CompletedTask;

    protected override async Task AssertNothingCreatedAsync(string place) => Assert.Empty(await Servers.RedisKeysAsync(place));

    [Fact]
    public async Task AnUnreachableServer_IsOneLine_WithoutThePassword()
    {
        var line = AssertOneLine(await Herald.RunAsync(Folder, ["status", "--redis", "127.0.0.1:1,password=s3cret-pw,connectTimeout=1000"]), 1, "s3cret-pw");

        Assert.Contains("cannot reach the Redis server at 127.0.0.1:1", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABadKeyPrefix_IsBadUsage()
    {
        AssertOneLine(await Herald.RunAsync(Folder, ["status", "--redis", Servers.Redis, "--key-prefix", "has space*"]), 2, "password");
    }

    public override async Task DisposeAsync()
    {
        foreach (var prefix in _prefixes)
            await Servers.DeleteRedisKeysAsync(prefix);
        await base.DisposeAsync();
    }
}
