using StackExchange.Redis;

namespace Herald.Redis.Tests;

/// <summary>
/// The key prefix comes from configuration: it only ever reaches the server as keys (a script's KEYS, a command's key
/// arguments), never inside a script's source, so characters that mean something to Lua are harmless, and two prefixes
/// are two logs.
/// </summary>
public sealed class KeyPrefixTests
{
    [Fact]
    public async Task APrefixFullOfLuaSyntax_IsJustKeys_EveryKeyOfTheLogStartsWithIt()
    {
        var prefix = $"it's\"--{{x}}%s..')({Guid.NewGuid():N}:";
        try
        {
            await using var log = TestRedis.Open(o => o.KeyPrefix = prefix);
            var envelope = new EventEnvelope(Guid.CreateVersion7(), "t'); redis.call('FLUSHALL') --", 1, DateTimeOffset.UtcNow, "k", null, "{}"u8.ToArray());
            var position = Assert.Single(await log.Stream.AppendAsync([envelope], CancellationToken.None));
            var lease = (await log.Leases.TryAcquireAsync("c'--", 0, "m", DateTimeOffset.UtcNow, TimeSpan.FromSeconds(10), CancellationToken.None))!;
            await log.Checkpoints.CommitAsync(new ProgressCommit(lease, position.Position, [new InboxMark(envelope.Id, position.Position)]), CancellationToken.None);

            var read = Assert.Single((await log.Stream.ReadAsync(0, 0, 10, null, CancellationToken.None)).Envelopes);
            Assert.Equal(envelope.Type, read.Type);
            Assert.Equal(1, Assert.Single(await log.Checkpoints.GetOffsetsAsync("c'--", CancellationToken.None)).Position);
            await using var connection = await ConnectionMultiplexer.ConnectAsync(TestRedis.Configuration);
            var keys = new List<string>();
            await foreach (var key in connection.GetServers()[0].KeysAsync(pattern: $"*{prefix[^33..]}*"))
                keys.Add(key!);
            Assert.NotEmpty(keys);
            Assert.All(keys, key => Assert.StartsWith(prefix, key, StringComparison.Ordinal));
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(prefix);
        }
    }

    [Fact]
    public async Task TwoPrefixes_AreTwoLogs()
    {
        await using var a = TestRedis.Open();
        await using var b = TestRedis.Open();
        try
        {
            await a.Stream.AppendAsync([new EventEnvelope(Guid.CreateVersion7(), "t", 1, DateTimeOffset.UtcNow, "k", null, "{}"u8.ToArray())], CancellationToken.None);

            Assert.Equal(1, (await a.Stream.GetBoundsAsync(CancellationToken.None))[0].Last);
            Assert.Equal(0, (await b.Stream.GetBoundsAsync(CancellationToken.None))[0].Last);
        }
        finally
        {
            await TestRedis.DeleteKeysAsync(a.KeyPrefix);
            await TestRedis.DeleteKeysAsync(b.KeyPrefix);
        }
    }
}
