using Herald.Sqlite;
using Microsoft.Data.Sqlite;

namespace Herald.Durable.Tests;

/// <summary>
/// The scenarios of the durable log on real SQLite files: outages and concurrency. The crash scenarios, which every
/// transport shares, are in <see cref="SqliteCrashScenarioTests"/>.
/// </summary>
public sealed class SqliteScenarioTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("herald-sqlite-").FullName;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
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
}
