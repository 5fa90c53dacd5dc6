using System.Globalization;
using StackExchange.Redis;

namespace Herald.Redis.Tests;

/// <summary>
/// <see cref="RedisOptions.WaitForReplicas"/>: with a replica of its own (a second <see cref="RedisServer"/> started
/// with <c>--replicaof</c> the primary), a <c>Persisted</c> publish returns only once the replica has the append, and
/// fails (retried, then dead-lettered, the publisher told) once no replica acknowledges it.
/// </summary>
public sealed class ReplicaTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WaitForReplicas_APersistedPublishReturnsOnceTheReplicaHasIt_AndFailsWhenNoReplicaAcknowledges()
    {
        await using var primary = await RedisServer.StartAsync();
        await using var replica = await RedisServer.StartAsync("--replicaof", "127.0.0.1", primary.Port.ToString(CultureInfo.InvariantCulture));
        await using var admin = await ConnectionMultiplexer.ConnectAsync(primary.Configuration + ",allowAdmin=true");
        await WaitUntilAsync(async () => (await admin.GetServers()[0].InfoRawAsync("replication"))?.Contains("state=online", StringComparison.Ordinal) == true);
        await using var host = await RedisHost.StartAsync(primary.Configuration, o =>
        {
            o.AppendRetries = 1;
            o.AppendRetryDelay = TimeSpan.FromMilliseconds(10);
        }, startConsumers: false, redis: r =>
        {
            r.WaitForReplicas = 1;
            // Long enough for a replica on a loaded 2-core machine (500 ms failed one publish of the 50 once, with the
            // test suites of four projects running one after the other); the failing half then waits 2 x 2 s.
            r.ReplicaTimeout = TimeSpan.FromSeconds(2);
        });
        await using var onReplica = await ConnectionMultiplexer.ConnectAsync(replica.Configuration);

        for (var i = 0; i < 50; i++)
        {
            await host.Bus.PublishAsync(new Noted($"key-{i % 5}", i));
            // Returned: the replica acknowledged it, so it holds every append so far.
            Assert.Equal(i + 1, await StoredEntriesAsync(onReplica, host.KeyPrefix));
        }

        await replica.KillAsync();
        var error = await Assert.ThrowsAsync<EventAppendException>(async () => await host.Bus.PublishAsync(new Noted("key-0", 50)));

        Assert.Contains("of the 1 replica(s) asked for (RedisOptions.WaitForReplicas) acknowledged the append", error.ToString(), StringComparison.Ordinal);
        Assert.Contains(error.Envelope!.Id.ToString(), Assert.Single(File.ReadAllLines(host.DeadLetterFile)), StringComparison.Ordinal);
    }

    /// <summary>How many entries the event streams under <paramref name="prefix"/> hold on the server of <paramref name="connection"/>.</summary>
    private static async Task<long> StoredEntriesAsync(ConnectionMultiplexer connection, string prefix)
    {
        var server = connection.GetServers()[0];
        var database = connection.GetDatabase();
        long entries = 0;
        await foreach (var key in server.KeysAsync(pattern: prefix + "events:*"))
        {
            if (await database.KeyTypeAsync(key) == RedisType.Stream)
                entries += await database.StreamLengthAsync(key);
        }
        return entries;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(Patience);
        while (!await condition())
            await Task.Delay(20, timeout.Token);
    }
}
