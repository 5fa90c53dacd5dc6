using System.Diagnostics;
using Herald.Durable.Tests;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Herald.Postgres.Tests;

/// <summary>
/// The server itself goes away mid-run and comes back: a crash (<c>pg_ctl stop -m immediate</c>) and a start that
/// recovers from the WAL, on a server of this test's own (<see cref="PostgresCluster"/>). The log writer retries
/// the appends that meet the outage, the consumers resume on new connections, and nothing acknowledged is lost.
/// </summary>
public sealed class ServerRestartTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task TheServerCrashesAndRestartsMidRun_TheWriterRetries_TheConsumerResumes_EveryAcknowledgedEventIsInTheLogAndHandled()
    {
        await using var server = await PostgresCluster.StartAsync();
        const string schema = "restart";
        var connectionString = new NpgsqlConnectionStringBuilder(server.ConnectionString) { SearchPath = schema }.ConnectionString;
        var deadLetters = Path.Combine(Path.GetTempPath(), $"herald-pg-restart-{Guid.NewGuid():N}.dead-letters.jsonl");
        var services = new ServiceCollection();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<FaultPlan>();
        services.AddHerald(o =>
        {
            o.UsePostgres(connectionString, p => p.Schema = schema);
            o.Partitions = 4;
            // 10 retries from 50 ms, doubling: the writer keeps an append for about 50 s, far longer than a restart.
            o.AppendRetries = 10;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(50);
            o.DeadLetterFile = deadLetters;
            o.Consumers.PollInterval = TimeSpan.FromMilliseconds(50);
            o.Consumers.RetryBaseDelay = TimeSpan.FromMilliseconds(1);
            o.Consumers.RetryMaxDelay = TimeSpan.FromMilliseconds(5);
            o.Consumers.LeaseDuration = TimeSpan.FromSeconds(3);
            o.Consumers.LeaseRenewalInterval = TimeSpan.FromMilliseconds(200);
        });
        await using var provider = services.BuildServiceProvider();
        var bus = provider.GetRequiredService<IEventBus>();
        var deliveries = provider.GetRequiredService<DeliveryLog>();
        var consumers = provider.GetRequiredService<DurableConsumers>();
        await consumers.StartAsync(CancellationToken.None);
        try
        {
            var acknowledged = new List<(OrderPlaced Order, long Started, long Ended)>();
            var failed = new List<EventAppendException>();
            using var stop = new CancellationTokenSource();
            var publishing = Task.Run(async () =>
            {
                for (var i = 1; !stop.IsCancellationRequested; i++)
                {
                    var order = new OrderPlaced(Guid.CreateVersion7(), $"customer-{i % 10}", i);
                    var started = Stopwatch.GetTimestamp();
                    try
                    {
                        await bus.PublishAsync(order); // Persisted: returns once committed
                    }
                    catch (EventAppendException exception)
                    {
                        lock (failed)
                            failed.Add(exception);
                        continue;
                    }
                    lock (acknowledged)
                        acknowledged.Add((order, started, Stopwatch.GetTimestamp()));
                }
            });
            int Acknowledged()
            {
                lock (acknowledged)
                    return acknowledged.Count;
            }

            await WaitUntilAsync(() => Acknowledged() >= 200);
            await deliveries.WaitForAsync("billing", 1, Patience);
            await server.CrashAsync();
            var down = Stopwatch.GetTimestamp();
            var beforeRestart = Acknowledged();
            await server.StartAgainAsync();
            var up = Stopwatch.GetTimestamp();
            await WaitUntilAsync(() => Acknowledged() >= beforeRestart + 200);
            await stop.CancelAsync();
            await publishing.WaitAsync(Patience);

            var orders = acknowledged.Select(a => a.Order).ToList();
            await deliveries.WaitForAsync("billing", orders.Count, Patience);
            await WaitUntilAsync(() => deliveries.Of<OrderPlaced>("billing").Select(o => o.OrderId).Distinct().Count() >= orders.Count);

            Assert.Empty(failed);
            // A publish in flight while the server was down was acknowledged: the writer retried it after the restart.
            Assert.Contains(acknowledged, a => a.Started < up && a.Ended > down);
            var handled = deliveries.Of<OrderPlaced>("billing");
            Assert.Superset(orders.Select(o => o.OrderId).ToHashSet(), handled.Select(o => o.OrderId).ToHashSet());
            foreach (var key in handled.GroupBy(o => o.Customer))
            {
                var firsts = key.DistinctBy(o => o.OrderId).Select(o => o.Sequence).ToList();
                Assert.Equal(firsts.Order(), firsts);
            }
            // A log opened after the restart in the process that opened one before it (same connection string).
            await using var log = await PostgresEventLog.OpenAsync(new PostgresOptions { ConnectionString = connectionString, Schema = schema, Notifications = false });
            var stored = new HashSet<Guid>(); // the order ids in the log
            for (var partition = 0; partition < log.Stream.Partitions; partition++)
            {
                for (var after = 0L; ;)
                {
                    var page = await log.Stream.ReadAsync(partition, after, 1000, null, CancellationToken.None);
                    if (page.Envelopes.Count == 0)
                        break;
                    stored.UnionWith(page.Envelopes.Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("orderId").GetGuid()));
                    after = page.Envelopes[^1].Position;
                }
            }
            Assert.Superset(orders.Select(o => o.OrderId).ToHashSet(), stored);
        }
        finally
        {
            await consumers.StopAsync(CancellationToken.None);
            File.Delete(deadLetters);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(10, timeout.Token);
    }
}
