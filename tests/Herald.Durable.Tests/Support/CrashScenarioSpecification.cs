using System.Globalization;

namespace Herald.Durable.Tests;

/// <summary>
/// The crash scenarios every transport must pass, with real child processes (tests/Herald.Durable.CrashApp) killed
/// with SIGKILL: a <c>Persisted</c> publisher killed at several points loses nothing it acknowledged, and a consumer
/// killed between handling and commit gets exactly its uncommitted events again while its inbox stops a repeat of the
/// committed ones. One specification, one class per transport (SQLite, PostgreSQL, Redis) deriving from it, as the
/// contract suite does; this file is linked into each transport's test project. One partition: these scenarios are
/// about one consumer's progress in one ordered stream.
/// </summary>
/// <remarks>
/// The consumer "tally" has no transaction (its marks and offset commit once per read of 5 events) and applies each
/// event to a file outside the log (HERALD_APPLIED_FILE, flushed before its kill point), so the test counts
/// applications on every transport, Redis included. <see cref="TransactionalCrashScenarioSpecification"/> adds the
/// consumer "ledger", which writes through the handler's transaction.
/// </remarks>
public abstract class CrashScenarioSpecification : IAsyncLifetime
{
    protected static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    /// <summary>A folder of this test's own, deleted at the end (the applied file; a SQLite transport's database).</summary>
    protected string Folder { get; } = Directory.CreateTempSubdirectory("herald-crash-").FullName;

    /// <summary>The crash app's log argument for this test's log: a SQLite file or <c>&lt;Transport&gt;:&lt;connection&gt;</c>.</summary>
    protected abstract string Log { get; }

    /// <summary>The environment that puts the crash app on this test's log, isolated from others (a schema, a key prefix).</summary>
    protected virtual IReadOnlyDictionary<string, string> TransportSettings => new Dictionary<string, string>();

    /// <summary>Opens this test's log in the test process, for reading what the child processes left.</summary>
    protected abstract Task<IEventLog> OpenLogAsync();

    private string AppliedFile => Path.Combine(Folder, "applied.txt");

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(250)]
    public async Task APersistedPublisherKilled_EveryAcknowledgedEventIsInTheLog_AndReachesItsConsumers(int killAfter)
    {
        var (lines, killed) = await RunAsync(["publish", Log, "100000"], line => line == $"acked {killAfter}");

        Assert.True(killed);
        var acknowledged = Sequences(lines, "acked ");
        Assert.True(acknowledged.Count >= killAfter);
        var stored = await ReadSequencesAsync();
        Assert.Superset(acknowledged.ToHashSet(), stored.ToHashSet());
        Assert.Equal(stored.Count, stored.Distinct().Count());

        var (consumed, _) = await RunAsync(["consume", Log, Text(stored.Count)]);
        Assert.Contains("caught up", consumed);
        Assert.Equal(stored.Order(), Sequences(consumed, "handled "));
        Assert.Equal(stored.Order(), await ReadAppliedAsync());
        await AssertLedgerAsync(stored.Order().ToList());
    }

    [Fact]
    public async Task AConsumerWithoutTransactionKilledMidBatch_AppliesExactlyItsUncommittedEventsAgain_ItsInboxStopsARepeatOfTheCommittedOnes()
    {
        await PublishAsync(20);

        // "tally" reads 5 events at a time and commits its progress once per read: killed while handling 8 (after
        // applying it), it has committed 1 to 5; 6, 7 and 8 were applied but their progress was not committed.
        var (first, killed) = await RunAsync(["consume", Log, "20", "8", "tally"]);
        Assert.True(killed);
        Assert.Equal(Range(1, 8), Sequences(first, "tallied "));
        Assert.Equal(Range(1, 8), await ReadAppliedAsync());
        await using (var log = await OpenLogAsync())
        {
            Assert.Equal(5, (await log.Checkpoints.GetOffsetsAsync("tally", CancellationToken.None)).Single(o => o.Partition == 0).Position);
            Assert.Equal(Range(1, 5), await InboxAsync(log, "tally"));
        }

        var (second, _) = await RunAsync(["consume", Log, "20"]);
        Assert.Contains("caught up", second);
        Assert.Equal(Range(6, 20), Sequences(second, "tallied "));
        Assert.Equal(Range(1, 8).Concat(Range(6, 20)), await ReadAppliedAsync());

        // Replay everything: the inbox holds every id now, so nothing is applied again.
        await using (var log = await OpenLogAsync())
        {
            Assert.Equal(Range(1, 20), await InboxAsync(log, "tally"));
            await new DurableLogAdmin(log).MoveToEarliestAsync("tally");
        }
        var (replayed, _) = await RunAsync(["consume", Log, "20"]);
        Assert.Contains("caught up", replayed);
        Assert.Empty(Sequences(replayed, "tallied "));
        Assert.Equal(Range(1, 8).Concat(Range(6, 20)), await ReadAppliedAsync());
    }

    /// <summary>Checks a transport's own ledger of the consumer "ledger" after a run; nothing where handlers have no transaction.</summary>
    protected virtual Task AssertLedgerAsync(IReadOnlyList<long> expected) => Task.CompletedTask;

    /// <summary>Publishes <paramref name="count"/> ledger entries (Persisted) with the crash app, to the end.</summary>
    protected async Task PublishAsync(int count)
    {
        var (lines, killed) = await RunAsync(["publish", Log, Text(count)]);
        Assert.False(killed);
        Assert.Contains($"acked {count}", lines);
    }

    /// <summary>Runs the crash app on this test's log; <paramref name="killAt"/> sees each line and says when to SIGKILL it.</summary>
    protected Task<(IReadOnlyList<string> Lines, bool Killed)> RunAsync(string[] arguments, Func<string, bool>? killAt = null)
    {
        var environment = new Dictionary<string, string>(TransportSettings)
        {
            ["HERALD_PARTITIONS"] = "1",
            ["HERALD_APPLIED_FILE"] = AppliedFile,
        };
        return CrashApp.RunAsync(arguments, killAt ?? (_ => false), Patience, environment);
    }

    /// <summary>The positions (in partition 0) of the events in <paramref name="consumer"/>'s inbox.</summary>
    protected static async Task<List<long>> InboxAsync(IEventLog log, string consumer)
    {
        var all = await ReadAllAsync(log);
        var handled = await log.Checkpoints.FindHandledAsync(consumer, all, CancellationToken.None);
        return [.. all.Where(e => handled.Contains(e.Id)).Select(e => e.Position).Order()];
    }

    protected static List<long> Range(int first, int last) => [.. Enumerable.Range(first, last - first + 1).Select(i => (long)i)];

    /// <summary>The numbers of the lines that start with <paramref name="prefix"/>, in order.</summary>
    protected static List<long> Sequences(IEnumerable<string> lines, string prefix)
        => [.. lines.Where(l => l.StartsWith(prefix, StringComparison.Ordinal)).Select(l => long.Parse(l[prefix.Length..], CultureInfo.InvariantCulture))];

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The sequences of the ledger entries in the log, in position order.</summary>
    private async Task<List<long>> ReadSequencesAsync()
    {
        await using var log = await OpenLogAsync();
        return [.. (await ReadAllAsync(log)).Select(e => (long)System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("sequence").GetInt32())];
    }

    /// <summary>What "tally" applied to the file, in order (a sequence twice if it was applied twice).</summary>
    private async Task<List<long>> ReadAppliedAsync()
        => File.Exists(AppliedFile) ? Sequences(await File.ReadAllLinesAsync(AppliedFile), "tallied ") : [];

    private static async Task<List<EventEnvelope>> ReadAllAsync(IEventLog log)
    {
        var all = new List<EventEnvelope>();
        for (var partition = 0; partition < log.Stream.Partitions; partition++)
        {
            long after = 0;
            while (true)
            {
                var page = await log.Stream.ReadAsync(partition, after, 1000, null, CancellationToken.None);
                if (page.Envelopes.Count == 0)
                    break;
                all.AddRange(page.Envelopes);
                after = page.Envelopes[^1].Position;
            }
        }
        return all;
    }
}

/// <summary>
/// The crash scenarios of a transport whose handlers can write through the log's transaction (SQLite, PostgreSQL):
/// the consumer "ledger" inserts a row of the table <c>ledger</c> in the log's own database per event, in that
/// transaction, so a crash between handling and commit leaves neither the row nor the inbox mark, and no event is
/// ever applied twice.
/// </summary>
public abstract class TransactionalCrashScenarioSpecification : CrashScenarioSpecification
{
    /// <summary>The sequences in the table <c>ledger</c> of this test's log's database, in ascending order.</summary>
    protected abstract Task<List<long>> ReadLedgerAsync();

    protected override async Task AssertLedgerAsync(IReadOnlyList<long> expected)
        => Assert.Equal(expected, await ReadLedgerAsync());

    [Fact]
    public async Task AConsumerKilledBetweenHandlingAndCommit_GetsExactlyTheUncommittedEventAgain_AndItsTransactionNeverAppliesOneTwice()
    {
        await PublishAsync(20);

        // Killed inside the handler of 8, after writing its row and before the commit: 1 to 7 committed with their rows.
        var (first, killed) = await RunAsync(["consume", Log, "20", "8"]);
        Assert.True(killed);
        Assert.Equal(Range(1, 8), Sequences(first, "handled "));
        Assert.Equal(Range(1, 7), await ReadLedgerAsync());
        await using (var log = await OpenLogAsync())
            Assert.Equal(Range(1, 7), await InboxAsync(log, "ledger"));

        var (second, _) = await RunAsync(["consume", Log, "20"]);
        Assert.Contains("caught up", second);
        Assert.Equal(Range(8, 20), Sequences(second, "handled "));
        Assert.Equal(Range(1, 20), await ReadLedgerAsync());

        // Replay everything: the inbox already holds every id, so the handler writes nothing twice.
        await using (var log = await OpenLogAsync())
        {
            Assert.Equal(Range(1, 20), await InboxAsync(log, "ledger"));
            await new DurableLogAdmin(log).MoveToEarliestAsync("ledger");
        }
        var (replayed, _) = await RunAsync(["consume", Log, "20"]);
        Assert.Contains("caught up", replayed);
        Assert.Empty(Sequences(replayed, "handled "));
        Assert.Equal(Range(1, 20), await ReadLedgerAsync());
    }
}
