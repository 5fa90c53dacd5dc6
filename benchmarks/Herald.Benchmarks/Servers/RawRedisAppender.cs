using System.Globalization;
using StackExchange.Redis;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// The baseline of <see cref="RedisAppendBenchmarks"/> and of the latency run on Redis: what an app would write by hand
/// with StackExchange.Redis to store the same events. One stream per partition under a key prefix of its own, one
/// <c>XADD</c> per event with the fields Herald stores (id, version, time, partition key, payload; the entry id chosen by
/// the server), sent pipelined: every command of a call is written without waiting for the previous reply, and the
/// call awaits the replies at the end (a window of at most the log writer's largest batch, 512, in the benchmark).
/// </summary>
internal sealed class RawRedisAppender
{
    private readonly IDatabase _database;
    private readonly RedisKey[] _streams;

    public RawRedisAppender(IConnectionMultiplexer connection, string prefix)
    {
        Prefix = prefix;
        _database = connection.GetDatabase();
        _streams = new RedisKey[Herald.Durable.Partitioning.DefaultPartitions];
        for (var p = 0; p < _streams.Length; p++)
            _streams[p] = $"{prefix}:{p}";
    }

    public string Prefix { get; }

    /// <summary>The stream of <paramref name="partition"/>.</summary>
    public RedisKey Stream(int partition) => _streams[partition];

    /// <summary>XADDs <paramref name="rows"/>, pipelined, and waits for every reply.</summary>
    public Task<RedisValue[]> AppendAsync(ReadOnlySpan<RawEnvelope> rows)
    {
        var replies = new Task<RedisValue>[rows.Length];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            replies[i] = _database.StreamAddAsync(_streams[row.Partition],
            [
                new NameValueEntry("i", row.Id.ToString()),
                new NameValueEntry("v", row.Version),
                new NameValueEntry("o", new DateTimeOffset(row.OccurredAt).ToUnixTimeMilliseconds()),
                new NameValueEntry("k", row.PartitionKey ?? string.Empty),
                new NameValueEntry("d", row.Payload),
            ]);
        }
        return Task.WhenAll(replies);
    }

    /// <summary>The entries in the streams (to check that a run stored what it claims).</summary>
    public long Count()
    {
        long count = 0;
        foreach (var stream in _streams)
            count += _database.StreamLength(stream);
        return count;
    }

    /// <summary>Deletes the streams.</summary>
    public void Delete() => _database.KeyDelete(_streams);

    /// <summary>Deletes every key under <paramref name="prefix"/> (a Herald log's, after a run).</summary>
    public static void DeletePrefix(IConnectionMultiplexer connection, string prefix)
    {
        var database = connection.GetDatabase();
        foreach (var endpoint in connection.GetEndPoints())
        {
            var server = connection.GetServer(endpoint);
            var keys = server.Keys(pattern: prefix + "*", pageSize: 1000).ToArray();
            for (var start = 0; start < keys.Length; start += 1000)
                database.KeyDelete(keys[start..Math.Min(keys.Length, start + 1000)]);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Prefix} ({_streams.Length} streams)");
}
