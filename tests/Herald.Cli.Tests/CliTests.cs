using Herald.Cli.Tests.Support;

namespace Herald.Cli.Tests;

/// <summary>
/// The installed tool on logs the durable sample wrote with a broken search index (6 orders: stock and risk handled
/// them, search-index dead-lettered all 6), the walk-through of docs/operations.md included. Output is parsed from --json.
/// </summary>
[Collection(ToolCollection.Name)]
public sealed class CliTests(InstalledTool herald, SampleLogs logs)
{
    [Fact]
    public async Task Status_ShowsTransportPartitionsEventsConsumersAndDeadLetters()
    {
        var folder = logs.CopyBroken();

        var status = Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"]));

        Assert.Equal("Sqlite", status.Text("transport"));
        Assert.Equal(Path.Combine(folder, "orders.db"), status.Text("log"));
        Assert.Equal(8, status.Number("partitions"));
        Assert.Equal(6, status.Number("events"));
        Assert.Equal(6, status.Items("bounds").Sum(b => b.Number("retained")));
        Assert.Equal(["risk", "search-index", "stock"], status.Items("consumers").Select(c => c.Text("consumer")));
        Assert.All(status.Items("consumers"), c => Assert.Equal(0, c.Number("lag")));
        Assert.Equal(6, status.Items("consumers").Single(c => c.Text("consumer") == "search-index").Number("deadLetters"));
        Assert.Equal(6, status.Number("deadLetters"));
    }

    [Fact]
    public async Task Consumers_ShowsEachPartitionsOffsetLagOwnerAndDeadLetters()
    {
        var folder = logs.CopyBroken();

        var rows = Json.Parse(await herald.RunAsync(folder, ["consumers", "--sqlite", "orders.db", "--consumer", "search-index", "--json"])).Items("consumers").ToList();

        Assert.Equal(Enumerable.Range(0, 8), rows.Select(r => (int)r.Number("partition")));
        Assert.All(rows, r => Assert.Equal("search-index", r.Text("consumer")));
        Assert.All(rows, r => Assert.Equal(r.Number("last"), r.Number("offset"))); // caught up: dead letters move the offset too
        Assert.All(rows, r => Assert.Equal(0, r.Number("lag")));
        Assert.All(rows, r => Assert.Null(r.GetProperty("owner").GetString())); // the sample stopped and released its leases
        // Each dead letter is counted in the partition its event is in: one per event of the partition.
        Assert.All(rows, r => Assert.Equal(r.Number("last"), r.Number("deadLetters")));
        Assert.Equal(6, rows.Sum(r => r.Number("deadLetters")));
    }

    [Fact]
    public async Task Tail_ByKeyAndFromAPosition_ShowsThoseEnvelopesWithTheirPayload()
    {
        var folder = logs.CopyBroken();

        var byKey = Json.Lines(await herald.RunAsync(folder, ["tail", "--sqlite", "orders.db", "--key", "SKU-2", "--type", "orders.created", "--json"]));
        Assert.Equal(2, byKey.Count);
        Assert.All(byKey, e => Assert.Equal("SKU-2", e.Text("partitionKey")));
        Assert.All(byKey, e => Assert.Equal("SKU-2", e.GetProperty("payload").Text("sku")));
        Assert.Equal([1L, 2L], byKey.Select(e => e.Number("position")));
        var partition = byKey[0].Number("partition");

        var fromTwo = Json.Lines(await herald.RunAsync(folder, ["tail", "--sqlite", "orders.db", "--partition", $"{partition}", "--from", "2", "--json"]));
        Assert.Equal(byKey[1].Text("id"), Assert.Single(fromTwo).Text("id"));

        var otherType = Json.Lines(await herald.RunAsync(folder, ["tail", "--sqlite", "orders.db", "--type", "orders.cancelled", "--json"]));
        Assert.Empty(otherType);

        var forPeople = await herald.RunAsync(folder, ["tail", "--sqlite", "orders.db", "--key", "SKU-2"]);
        Assert.Equal(0, forPeople.ExitCode);
        Assert.Contains($"orders.created v1  p{partition}/2  key=SKU-2", forPeople.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("  \"sku\": \"SKU-2\",", forPeople.StandardOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b[", forPeople.StandardOutput, StringComparison.Ordinal); // redirected: no colour
    }

    [Fact]
    public async Task DeadLetters_ListAndShow_GiveTheEnvelopePayloadExceptionAndAttempts()
    {
        var folder = logs.CopyBroken();

        var list = Json.Parse(await herald.RunAsync(folder, ["dead-letters", "list", "--sqlite", "orders.db", "--consumer", "search-index", "--json"]));
        Assert.Equal(6, list.Number("total"));
        var first = list.Items("deadLetters").First();
        Assert.Equal("the handler failed 4 time(s)", first.Text("reason"));

        var shown = Json.Parse(await herald.RunAsync(folder, ["dead-letters", "show", $"{first.Number("id")}", "--sqlite", "orders.db", "--json"]));
        Assert.Equal("search-index", shown.Text("consumer"));
        Assert.Equal(4, shown.Number("attempts"));
        Assert.Contains("field 'note' is not mapped", shown.Text("exception"), StringComparison.Ordinal);
        var envelope = shown.GetProperty("envelope");
        Assert.Equal("orders.created", envelope.Text("type"));
        Assert.Equal(envelope.Text("partitionKey"), envelope.GetProperty("payload").Text("sku"));

        var forPeople = await herald.RunAsync(folder, ["dead-letters", "show", $"{first.Number("id")}", "--sqlite", "orders.db"]);
        Assert.Contains("  \"quantity\": ", forPeople.StandardOutput, StringComparison.Ordinal); // pretty-printed
        Assert.Contains("System.InvalidOperationException: search index rejected order", forPeople.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Walkthrough_ReplayAfterTheFix_LagReturnsToZeroAndNoDeadLettersRemain()
    {
        var folder = logs.CopyBroken();

        var replayed = Json.Parse(await herald.RunAsync(folder, ["dead-letters", "replay", "--all", "--consumer", "search-index", "--sqlite", "orders.db", "--json"]));
        Assert.Equal(6, replayed.Number("replayed"));
        var afterReplay = Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"]));
        Assert.Equal(0, afterReplay.Number("deadLetters"));
        var lag = afterReplay.Items("consumers").ToDictionary(c => c.Text("consumer"), c => c.Number("lag"));
        Assert.Equal(6, lag["search-index"]); // appended again, for everyone; stock and risk pass them by their inbox
        Assert.Equal(6, lag["stock"]);

        // The fixed app runs (the demo publishes 6 more orders and waits until every consumer caught up).
        var run = await SampleLogs.RunSampleAsync(folder);
        Assert.Contains("dead letters: 0", run.StandardOutput, StringComparison.Ordinal);

        var fixedStatus = Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"]));
        Assert.All(fixedStatus.Items("consumers"), c => Assert.Equal(0, c.Number("lag")));
        Assert.Equal(0, fixedStatus.Number("deadLetters"));
        Assert.Equal(18, fixedStatus.Number("events"));
        // search-index indexed the 6 replayed orders and the 6 new ones; stock skipped the replays it had handled.
        Assert.Contains("search index: 12 document(s) this run", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OffsetsSet_AsksFirst_ThenMovesAndTheLagShowsTheReplay()
    {
        var folder = logs.CopyBroken();

        var declined = await herald.RunAsync(folder, ["offsets", "set", "stock", "--earliest", "--sqlite", "orders.db"], input: "n\n");
        Assert.Equal(1, declined.ExitCode);
        Assert.Equal("herald: Not confirmed; no offset was moved.", declined.StandardError.Trim().Split('\n')[^1]);
        Assert.Equal(0, Lag(Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"])), "stock"));

        var confirmed = await herald.RunAsync(folder, ["offsets", "set", "stock", "--earliest", "--sqlite", "orders.db"], input: "y\n");
        Assert.True(confirmed.ExitCode == 0, confirmed.ToString());
        Assert.Equal(6, Lag(Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"])), "stock"));

        var latest = Json.Parse(await herald.RunAsync(folder, ["offsets", "set", "stock", "--latest", "--yes", "--sqlite", "orders.db", "--json"]));
        Assert.Equal("stock", latest.Text("consumer"));
        Assert.Equal(8, latest.Items("offsets").Count());
        Assert.All(latest.Items("offsets"), o => Assert.Equal(0, o.Number("from")));
        Assert.Equal(6, latest.Items("offsets").Sum(o => o.Number("to")));
        Assert.Equal(0, Lag(Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"])), "stock"));
    }

    [Fact]
    public async Task Purge_ByConsumerWithYes_RemovesThem()
    {
        var folder = logs.CopyBroken();

        var purged = Json.Parse(await herald.RunAsync(folder, ["dead-letters", "purge", "--all", "--consumer", "search-index", "--yes", "--sqlite", "orders.db", "--json"]));

        Assert.Equal(6, purged.Number("purged"));
        Assert.Equal(0, Json.Parse(await herald.RunAsync(folder, ["dead-letters", "list", "--sqlite", "orders.db", "--json"])).Number("total"));
    }

    [Fact]
    public async Task RetentionApply_DryRunRemovesNothingAndNamesWhoWouldBeLeftBehind_ThenApplyWithTheAppsPolicy()
    {
        var folder = logs.CopyBroken();
        await herald.RunAsync(folder, ["offsets", "set", "risk", "--earliest", "--yes", "--sqlite", "orders.db"]);

        var dryRun = Json.Parse(await herald.RunAsync(folder, ["retention", "apply", "--dry-run", "--max-events", "2", "--sqlite", "orders.db", "--json"]));
        Assert.True(dryRun.GetProperty("dryRun").GetBoolean());
        Assert.Equal(4, dryRun.Number("removed"));
        Assert.Equal(4, dryRun.Items("partitions").Sum(p => p.Number("count")));
        var behind = dryRun.Items("consumersLeftBehind").ToList();
        Assert.NotEmpty(behind);
        Assert.All(behind, b => Assert.Equal("risk", b.Text("consumer")));
        Assert.Equal(6, Json.Parse(await herald.RunAsync(folder, ["status", "--sqlite", "orders.db", "--json"])).Number("events"));

        // The app's own policy, from its appsettings.json (the Data Source is relative, as the app has it).
        await File.WriteAllTextAsync(Path.Combine(folder, "appsettings.json"), """
            { "Herald": { "Transport": "Sqlite", "Sqlite": { "ConnectionString": "Data Source=orders.db" }, "Retention": { "MaxEvents": "3" } } }
            """);
        var applied = Json.Parse(await herald.RunAsync(folder, ["retention", "apply", "--config", "appsettings.json", "--json"]));
        Assert.False(applied.GetProperty("dryRun").GetBoolean());
        Assert.Equal(3, applied.Number("removed"));
        Assert.Equal(3, Json.Parse(await herald.RunAsync(folder, ["status", "--config", "appsettings.json", "--json"])).Number("events"));
    }

    private static long Lag(System.Text.Json.JsonElement status, string consumer)
        => status.Items("consumers").Single(c => c.Text("consumer") == consumer).Number("lag");
}
