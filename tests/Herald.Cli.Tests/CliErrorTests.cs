using Herald.Cli.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Herald.Cli.Tests;

/// <summary>Every error is one line on standard error, with exit code 1 (the command failed) or 2 (the command line is wrong).</summary>
[Collection(ToolCollection.Name)]
public sealed class CliErrorTests(InstalledTool herald, SampleLogs logs)
{
    [Fact]
    public async Task MissingFile_SaysSo_AndCreatesNothing()
    {
        var folder = logs.CopyBroken();

        var result = await herald.RunAsync(folder, ["status", "--sqlite", "typo.db"]);

        AssertError(result, 1, $"herald: The database file '{Path.Combine(folder, "typo.db")}' does not exist. Check the path (a relative one is resolved against the current directory).");
        Assert.Empty(Directory.GetFiles(folder, "typo.db*"));
    }

    [Fact]
    public async Task DatabaseOfAnotherApp_IsNotAHeraldLog_AndIsLeftAsItWas()
    {
        var folder = logs.CopyBroken();
        var path = Path.Combine(folder, "shop.db");
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE orders (id INTEGER PRIMARY KEY, sku TEXT);";
            create.ExecuteNonQuery();
        }

        var result = await herald.RunAsync(folder, ["consumers", "--sqlite", "shop.db"]);

        AssertError(result, 1, $"herald: '{path}' is a SQLite database but not a Herald log (it has no herald_schema table). Point at the database file the app's durable events are in (Herald:Sqlite:ConnectionString).");
        using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        check.Open();
        using var tables = check.CreateCommand();
        tables.CommandText = "SELECT group_concat(name) FROM sqlite_master WHERE type = 'table';";
        Assert.Equal("orders", tables.ExecuteScalar());
    }

    [Fact]
    public async Task FileThatIsNotADatabase_SaysSo()
    {
        var folder = logs.CopyBroken();
        await File.WriteAllTextAsync(Path.Combine(folder, "orders.csv"), "id,sku\n1,SKU-1\n" + new string('x', 4096));

        var result = await herald.RunAsync(folder, ["status", "--sqlite", "orders.csv"]);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith($"herald: '{Path.Combine(folder, "orders.csv")}' is not a SQLite database", OneLine(result), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NewerSchema_AsksForANewerTool()
    {
        var folder = logs.CopyBroken();
        using (var connection = new SqliteConnection($"Data Source={Path.Combine(folder, "orders.db")};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO herald_schema (version, applied_at) VALUES (99, 0);";
            insert.ExecuteNonQuery();
        }

        var result = await herald.RunAsync(folder, ["status", "--sqlite", "orders.db"]);

        AssertError(result, 1, $"herald: The database '{Path.Combine(folder, "orders.db")}' has Herald log schema version 99, written by a newer Herald.Sqlite; this version reads schema 2. Update the Herald.Sqlite package (or the herald tool: dotnet tool update --global Herald.Cli).");
    }

    [Fact]
    public async Task UnknownConsumer_NamesTheConsumersTheLogKnows()
    {
        var folder = logs.CopyBroken();

        AssertError(await herald.RunAsync(folder, ["consumers", "--consumer", "billing", "--sqlite", "orders.db"]), 1,
            "herald: No consumer named 'billing' in this log; it knows: risk, search-index, stock.");
        AssertError(await herald.RunAsync(folder, ["offsets", "set", "billing", "--earliest", "--yes", "--sqlite", "orders.db"]), 1,
            "herald: No consumer named 'billing' in this log; it knows: risk, search-index, stock.");
    }

    [Fact]
    public async Task NoSuchDeadLetter_SaysHowToFindTheIds()
    {
        var folder = logs.CopyBroken();

        foreach (var command in new[] { "show", "replay" })
            AssertError(await herald.RunAsync(folder, ["dead-letters", command, "999", "--sqlite", "orders.db"]), 1,
                "herald: No dead letter with id 999 in this log; 'herald dead-letters list' shows the ids.");
    }

    [Fact]
    public async Task MissingOrBrokenConfiguration_SaysWhatIsWrong()
    {
        var folder = logs.CopyBroken();
        AssertError(await herald.RunAsync(folder, ["status", "--config", "appsettings.json"]), 1,
            $"herald: The configuration file '{Path.Combine(folder, "appsettings.json")}' does not exist.");

        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """{ "Herald": { "LogEvents": true } }""");
        AssertError(await herald.RunAsync(folder, ["status", "--config", "appsettings.json"]), 1,
            $"herald: '{Path.Combine(folder, "appsettings.json")}' sets no Herald:Transport, so the app keeps its durable events in memory, which only its own process can see. herald opens: Sqlite, Postgres, Redis.");
    }

    [Theory]
    [InlineData("herald: Say which log to open: --sqlite FILE, --postgres CONN, --redis CONFIGURATION, or --config appsettings.json (the app's Herald section).", "status")]
    [InlineData("herald: --sqlite and --redis both name a log; pass one of them.", "status", "--sqlite", "orders.db", "--redis", "localhost:1")]
    [InlineData("herald: --schema goes with --postgres (the schema of a PostgreSQL log).", "status", "--sqlite", "orders.db", "--schema", "herald")]
    [InlineData("herald: --key-prefix goes with --redis; with --config the prefix is Herald:Redis:KeyPrefix in the file.", "status", "--config", "appsettings.json", "--key-prefix", "herald:")]
    [InlineData("herald: --sqlite and --config both name a log; pass one of them.", "status", "--sqlite", "orders.db", "--config", "appsettings.json")]
    [InlineData("herald: Say where to move the offsets with one of --position N (with --partition), --time T, --earliest or --latest.", "offsets", "set", "stock", "--sqlite", "orders.db")]
    [InlineData("herald: --position names a position within one partition: add --partition P.", "offsets", "set", "stock", "--position", "1", "--sqlite", "orders.db")]
    [InlineData("herald: --partition 8: the log has partitions 0 to 7.", "tail", "--partition", "8", "--sqlite", "orders.db")]
    [InlineData("herald: Give the id of one dead letter, or --all (with --consumer or --type to narrow it).", "dead-letters", "replay", "--sqlite", "orders.db")]
    [InlineData("herald: No retention policy: pass --max-age or --max-events (or --config with the app's Herald:Retention).", "retention", "apply", "--sqlite", "orders.db")]
    public async Task BadUsage_ExitsWithTwoAndOneLine(string message, params string[] arguments)
    {
        var folder = logs.CopyBroken();

        AssertError(await herald.RunAsync(folder, arguments), 2, message);
    }

    [Fact]
    public async Task UnknownCommand_ExitsWithTwo_AndPointsAtHelp()
    {
        var folder = logs.CopyBroken();

        var result = await herald.RunAsync(folder, ["stats", "--sqlite", "orders.db"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(["herald: Unrecognized command or argument 'stats'.", "herald: run 'herald --help' for usage."], Lines(result));
    }

    private static void AssertError(ProcessResult result, int exitCode, string message)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit code {exitCode}: {result}");
        Assert.Equal(message, OneLine(result));
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    private static string OneLine(ProcessResult result) => Assert.Single(Lines(result));

    private static string[] Lines(ProcessResult result) => result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
