using StackExchange.Redis;

namespace Herald.Redis.Tests;

/// <summary>
/// A server that goes away, comes back, or drops Herald's connections: the writer retries and then dead-letters to the
/// file (the core's writer path), consumers recover, and an AOF with <c>appendfsync always</c> keeps every
/// acknowledged append through a SIGKILL. Each test has a server of its own.
/// </summary>
public sealed class ConnectionFailureTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task AServerThatIsGone_ThePersistedPublishIsRetried_ThenWrittenToTheDeadLetterFile_AndThePublisherIsTold()
    {
        await using var server = await RedisServer.StartAsync();
        // asyncTimeout: how long StackExchange.Redis keeps a command waiting for the connection to come back.
        await using var host = await RedisHost.StartAsync(server.Configuration + ",asyncTimeout=500", o =>
        {
            o.AppendRetries = 2;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(10);
        }, startConsumers: false);
        await host.Bus.PublishAsync(new Noted("k", 1));

        await server.KillAsync();
        var error = await Assert.ThrowsAsync<EventAppendException>(async () => await host.Bus.PublishAsync(new Noted("k", 2)));

        Assert.Equal(host.DeadLetterFile, error.DeadLetterFile);
        var stored = Assert.Single(File.ReadAllLines(host.DeadLetterFile));
        Assert.Contains(error.Envelope!.Id.ToString(), stored, StringComparison.Ordinal);
        Assert.Contains("redis-test.noted", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("asyncTimeout", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientKillMidStream_TheWriterAndTheConsumersRecover_EveryEventIsDelivered()
    {
        await using var server = await RedisServer.StartAsync();
        await using var host = await RedisHost.StartAsync(server.Configuration, o =>
        {
            o.AppendRetries = 10;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(50);
        });
        await using var admin = await ConnectionMultiplexer.ConnectAsync(server.Configuration + ",allowAdmin=true,name=test-admin");

        for (var i = 0; i < 400; i++)
        {
            if (i == 200)
            {
                var killed = await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "SKIPME", "yes", "TYPE", "normal");
                var pubsub = await admin.GetDatabase().ExecuteAsync("CLIENT", "KILL", "SKIPME", "yes", "TYPE", "pubsub");
                Assert.True((long)killed >= 1, "CLIENT KILL closed no connection of Herald's");
                _ = pubsub;
            }
            await host.Bus.PublishAsync(new Noted($"key-{i % 7}", i));
        }

        await host.Received.WaitForAsync(400, Patience);
        Assert.Equal(Enumerable.Range(0, 400), host.Received.Events.Select(e => e.Sequence).Distinct().Order());
        foreach (var key in host.Received.Events.GroupBy(e => e.Key))
        {
            var sequences = key.Select(e => e.Sequence).Distinct().ToList();
            Assert.Equal(sequences.Order(), sequences);
        }
    }

    [Fact]
    public async Task TheServerKilledWithSigkill_AndRestartedFromItsAof_HasEveryAcknowledgedAppend()
    {
        await using var server = await RedisServer.StartAsync();
        var prefix = TestRedis.NewPrefix("sigkill");
        var acknowledged = new List<Guid>();
        await using (var log = new RedisEventLog(new RedisOptions { Configuration = server.Configuration, KeyPrefix = prefix, Partitions = 2 }))
        {
            var publishing = Task.Run(async () =>
            {
                for (var i = 0; ; i++)
                {
                    var envelope = new EventEnvelope(Guid.CreateVersion7(), "redis-test.raw", 1, DateTimeOffset.UtcNow, $"k{i % 5}", null, "{}"u8.ToArray());
                    try
                    {
                        await log.Stream.AppendAsync([envelope], CancellationToken.None);
                    }
                    catch (Exception exception) when (exception is RedisException or InvalidOperationException or TimeoutException)
                    {
                        return;
                    }
                    lock (acknowledged)
                        acknowledged.Add(envelope.Id);
                }
            });
            await WaitUntilAsync(() =>
            {
                lock (acknowledged)
                    return acknowledged.Count >= 300;
            });

            await server.KillAsync();
            await publishing.WaitAsync(Patience);
        }

        await server.RestartAsync();
        await using var reopened = new RedisEventLog(new RedisOptions { Configuration = server.Configuration, KeyPrefix = prefix });
        var stored = new HashSet<Guid>();
        for (var partition = 0; partition < reopened.Stream.Partitions; partition++)
        {
            var after = 0L;
            while (true)
            {
                var page = await reopened.Stream.ReadAsync(partition, after, 500, null, CancellationToken.None);
                foreach (var envelope in page.Envelopes)
                    stored.Add(envelope.Id);
                if (page.Envelopes.Count == 0)
                    break;
                after = page.ScannedTo;
            }
        }
        Assert.True(acknowledged.Count >= 300);
        Assert.All(acknowledged, id => Assert.Contains(id, stored));
    }

    [Fact]
    public async Task TheServerKilledWithSigkillDuringPersistedPublishes_AndRestartedFromItsAof_EveryAcknowledgedEventReachesTheRunningConsumer()
    {
        await using var server = await RedisServer.StartAsync();
        // 10 retries from 50 ms, doubling: the writer keeps an append for about 50 s, far longer than a restart.
        await using var host = await RedisHost.StartAsync(server.Configuration, o =>
        {
            o.AppendRetries = 10;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(50);
        });
        var acknowledged = new List<(int Sequence, long Started, long Ended)>();
        var failed = new List<EventAppendException>();
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    await host.Bus.PublishAsync(new Noted($"key-{i % 7}", i)); // Persisted: returns once the XADD is acknowledged
                }
                catch (EventAppendException exception)
                {
                    lock (failed)
                        failed.Add(exception);
                    continue;
                }
                lock (acknowledged)
                    acknowledged.Add((i, started, System.Diagnostics.Stopwatch.GetTimestamp()));
            }
        });
        int Acknowledged()
        {
            lock (acknowledged)
                return acknowledged.Count;
        }

        await WaitUntilAsync(() => Acknowledged() >= 300);
        await host.Received.WaitForAsync(1, Patience);
        await server.KillAsync();
        var down = System.Diagnostics.Stopwatch.GetTimestamp();
        var beforeRestart = Acknowledged();
        await server.RestartAsync();
        var up = System.Diagnostics.Stopwatch.GetTimestamp();
        await WaitUntilAsync(() => Acknowledged() >= beforeRestart + 300);
        await stop.CancelAsync();
        await publishing.WaitAsync(Patience);

        var sequences = acknowledged.Select(a => a.Sequence).ToHashSet();
        await WaitUntilAsync(() => host.Received.Events.Select(e => e.Sequence).Distinct().Count(sequences.Contains) >= sequences.Count);
        Assert.Empty(failed);
        // A publish in flight while the server was down was acknowledged: the writer retried it after the restart.
        Assert.Contains(acknowledged, a => a.Started < up && a.Ended > down);
        foreach (var key in host.Received.Events.GroupBy(e => e.Key))
        {
            var firsts = key.Select(e => e.Sequence).Distinct().ToList();
            Assert.Equal(firsts.Order(), firsts);
        }
        var stored = new HashSet<int>();
        for (var partition = 0; partition < host.Log.Stream.Partitions; partition++)
        {
            for (var after = 0L; ;)
            {
                var page = await host.Log.Stream.ReadAsync(partition, after, 500, null, CancellationToken.None);
                if (page.Envelopes.Count == 0)
                    break;
                stored.UnionWith(page.Envelopes.Select(e => System.Text.Json.JsonDocument.Parse(e.Payload).RootElement.GetProperty("sequence").GetInt32()));
                after = page.ScannedTo;
            }
        }
        Assert.Superset(sequences, stored);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!condition())
            await Task.Delay(5, timeout.Token);
    }
}
