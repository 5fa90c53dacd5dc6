using Herald.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Durable.Tests;

/// <summary>The scenarios of the durable log on real SQLite files: crashes, outages, bad input, concurrency.</summary>
public sealed class SqliteScenarioTests : IDisposable
{
    // One partition: these scenarios are about one consumer's progress in one ordered stream.
    private static readonly IReadOnlyDictionary<string, string> OnePartition = new Dictionary<string, string> { ["HERALD_PARTITIONS"] = "1" };

    private readonly string _folder = Directory.CreateTempSubdirectory("herald-sqlite-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(37)]
    [InlineData(250)]
    public async Task Crash_EveryAcknowledgedEventIsInTheLogAfterRestart_AndReachesItsConsumer(int killAfter)
    {
        var database = Path.Combine(_folder, $"crash-{killAfter}.db");

        var (lines, killed) = await CrashApp.RunAsync(["publish", database, "100000"], line => line == $"acked {killAfter}", TimeSpan.FromMinutes(2), OnePartition);

        Assert.True(killed);
        var acknowledged = lines.Where(l => l.StartsWith("acked ", StringComparison.Ordinal)).Select(l => int.Parse(l[6..], System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        Assert.True(acknowledged.Length >= killAfter);
        var stored = await ReadSequencesAsync(database);
        Assert.Superset(new HashSet<int>(acknowledged), new HashSet<int>(stored));

        var (consumed, _) = await CrashApp.RunAsync(["consume", database, stored.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)], _ => false, TimeSpan.FromMinutes(2), OnePartition);
        Assert.Contains("caught up", consumed);
        Assert.Equal(stored.Order(), await ReadLedgerAsync(database));
    }

    [Fact]
    public async Task ConsumerKilledBetweenHandlingAndCommit_GetsExactlyTheUncommittedEventAgain_AndTheInboxPreventsDoubleWrites()
    {
        var database = Path.Combine(_folder, "ledger.db");
        await CrashApp.RunAsync(["publish", database, "20"], _ => false, TimeSpan.FromMinutes(2), OnePartition);

        var (first, killed) = await CrashApp.RunAsync(["consume", database, "20", "8"], _ => false, TimeSpan.FromMinutes(2), OnePartition);
        Assert.True(killed);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"handled {i}"), first.Where(l => l.StartsWith("handled", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, 7), await ReadLedgerAsync(database));

        var (second, _) = await CrashApp.RunAsync(["consume", database, "20"], _ => false, TimeSpan.FromMinutes(2), OnePartition);
        Assert.Equal(Enumerable.Range(8, 13).Select(i => $"handled {i}"), second.Where(l => l.StartsWith("handled", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, 20), await ReadLedgerAsync(database));

        // Replay everything: the inbox already holds every id, so the handler writes nothing twice.
        await using (var log = new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={database}" }))
            await new DurableLogAdmin(log).MoveToEarliestAsync("ledger");
        var (replayed, _) = await CrashApp.RunAsync(["consume", database, "20"], _ => false, TimeSpan.FromMinutes(2), OnePartition);
        Assert.DoesNotContain(replayed, l => l.StartsWith("handled", StringComparison.Ordinal));
        Assert.Equal(Enumerable.Range(1, 20), await ReadLedgerAsync(database));
        Assert.Equal(Enumerable.Range(1, 20).Select(p => (long)p), await ReadInboxAsync(database, "ledger"));
    }

    [Fact]
    public async Task ConsumerWithoutTransactionKilledMidBatch_GetsExactlyTheEventsAfterItsLastCommittedBatchAgain()
    {
        var database = Path.Combine(_folder, "tally.db");
        await CrashApp.RunAsync(["publish", database, "20"], _ => false, TimeSpan.FromMinutes(2), OnePartition);

        // "tally" reads 5 events at a time and commits its progress once per read: killed while handling 8, it has
        // committed 1 to 5; 6 and 7 were handled but their progress was not committed.
        var (first, killed) = await CrashApp.RunAsync(["consume", database, "20", "8", "tally"], _ => false, TimeSpan.FromMinutes(2), OnePartition);
        Assert.True(killed);
        Assert.Equal(Enumerable.Range(1, 8).Select(i => $"tallied {i}"), first.Where(l => l.StartsWith("tallied", StringComparison.Ordinal)));
        await using (var log = new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={database}" }))
            Assert.Equal(5, await LogReading.OffsetAsync(log, "tally"));
        Assert.Equal(Enumerable.Range(1, 5).Select(p => (long)p), await ReadInboxAsync(database, "tally"));

        var (second, _) = await CrashApp.RunAsync(["consume", database, "20"], _ => false, TimeSpan.FromMinutes(2), OnePartition);
        Assert.Contains("caught up", second);
        Assert.Equal(Enumerable.Range(6, 15).Select(i => $"tallied {i}"), second.Where(l => l.StartsWith("tallied", StringComparison.Ordinal)));
        Assert.Equal(Enumerable.Range(1, 20).Select(p => (long)p), await ReadInboxAsync(database, "tally"));
    }

    [Fact]
    public async Task ConsumerDownWhile100000EventsArePublished_CatchesUpInOrderPerKey_AndLagReturnsToZero()
    {
        var database = Path.Combine(_folder, "outage.db");
        const int total = 100_000;
        await using (var publisher = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={database}"), startConsumers: false))
        {
            var tasks = new List<Task>();
            for (var sequence = 1; sequence <= total; sequence++)
            {
                var reading = new MeterRead($"meter-{sequence % 7}", sequence);
                tasks.Add(publisher.Bus.PublishAsync(reading).AsTask()); // Buffered: returns once queued
            }
            await Task.WhenAll(tasks);
        }

        await using var consumer = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={database}"));
        await consumer.Deliveries.WaitForAsync("meters", total, TimeSpan.FromMinutes(3));
        await consumer.WaitCaughtUpAsync("meters", TimeSpan.FromMinutes(1));

        var received = consumer.Deliveries.Of<MeterRead>("meters");
        Assert.Equal(total, received.Count);
        Assert.Equal(total, received.Select(r => r.Sequence).Distinct().Count());
        foreach (var key in received.GroupBy(r => r.Meter))
            Assert.Equal(key.Select(r => r.Sequence).Order(), key.Select(r => r.Sequence));
        Assert.Equal(0, await consumer.Admin.GetLagAsync("meters"));
    }

    [Fact]
    public async Task FourThreadsPublish50000BufferedEventsEach_AllArePersistedExactlyOnce_PositionsStrictlyIncrease()
    {
        var database = Path.Combine(_folder, "concurrent.db");
        const int perThread = 50_000;
        await using (var host = await TestHost.StartAsync(o => o.UseSqlite($"Data Source={database}"), startConsumers: false))
        {
            var threads = Enumerable.Range(0, 4).Select(thread => new Thread(() =>
            {
                for (var i = 0; i < perThread; i++)
                    host.Bus.Publish(new AuditNoted($"{thread}:{i}")); // sync publish: queued, waits when the queue is full
            })).ToArray();
            foreach (var thread in threads)
                thread.Start();
            foreach (var thread in threads)
                thread.Join();
        } // disposing the provider flushes the writer

        await using var log = new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={database}" });
        var all = await LogReading.ReadAllAsync(log);
        Assert.Equal(4 * perThread, all.Count);
        Assert.Equal(all.Count, all.Select(e => e.Id).Distinct().Count());
        foreach (var partition in all.GroupBy(e => e.Partition))
            Assert.Equal(Enumerable.Range(1, partition.Count()).Select(p => (long)p), partition.Select(e => e.Position));
        var texts = all.Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("text").GetString()!).ToHashSet();
        Assert.Equal(4 * perThread, texts.Count);
    }

    private static async Task<List<int>> ReadSequencesAsync(string database)
    {
        await using var log = new SqliteEventLog(new SqliteOptions { ConnectionString = $"Data Source={database}" });
        var events = await LogReading.ReadAllAsync(log);
        return events.Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("sequence").GetInt32()).ToList();
    }

    private static async Task<List<long>> ReadInboxAsync(string database, string consumer)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT position FROM herald_inbox WHERE consumer = $consumer ORDER BY position";
        select.Parameters.AddWithValue("$consumer", consumer);
        var positions = new List<long>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            positions.Add(reader.GetInt64(0));
        return positions;
    }

    private static async Task<List<int>> ReadLedgerAsync(string database)
    {
        await using var connection = new SqliteConnection($"Data Source={database}");
        await connection.OpenAsync();
        await using var select = connection.CreateCommand();
        select.CommandText = "SELECT sequence FROM ledger ORDER BY sequence";
        var sequences = new List<int>();
        await using var reader = await select.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            sequences.Add(reader.GetInt32(0));
        return sequences;
    }
}
