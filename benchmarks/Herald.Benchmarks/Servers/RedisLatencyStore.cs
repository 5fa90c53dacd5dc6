using System.Text.Json;
using Herald.Benchmarks.Durable;
using StackExchange.Redis;

namespace Herald.Benchmarks.Servers;

/// <summary>
/// The latency run's baseline on Redis: <see cref="RawRedisAppender"/> (a stream per partition, pipelined XADDs, the
/// commit awaited) and a reader on a connection of its own that reads each partition's stream after the last entry id
/// it saw (one pipelined XRANGE per stream) and takes the sequence from the payload. The keys are deleted at the end.
/// </summary>
internal sealed class RedisLatencyStore : RawLatencyStore
{
    private readonly ConnectionMultiplexer _writerConnection;
    private readonly ConnectionMultiplexer _readerConnection;
    private readonly RawRedisAppender _appender;
    private readonly IDatabase _reader;
    private readonly RedisValue[] _after;
    private readonly int _partitions;

    public RedisLatencyStore(string configuration, int partitions)
    {
        _partitions = Math.Min(partitions, Herald.Durable.Partitioning.DefaultPartitions);
        _writerConnection = ConnectionMultiplexer.Connect(configuration);
        _readerConnection = ConnectionMultiplexer.Connect(configuration);
        _appender = new RawRedisAppender(_writerConnection, BenchmarkServers.NewName("bench-latency-raw"));
        _reader = _readerConnection.GetDatabase();
        _after = new RedisValue[_partitions];
        Array.Fill(_after, (RedisValue)"-");
    }

    public override string Name => "raw StackExchange.Redis";

    public override void Write(IReadOnlyList<int> sequences, long[] publishedAt)
    {
        var rows = ProbeEnvelopes(sequences, publishedAt, _partitions);
        _appender.AppendAsync(rows).GetAwaiter().GetResult();
    }

    public override void ReadNew(Action<int> seen)
    {
        var reads = new Task<StreamEntry[]>[_partitions];
        for (var p = 0; p < _partitions; p++)
            reads[p] = _reader.StreamRangeAsync(_appender.Stream(p), _after[p], "+");
        Task.WaitAll(reads);
        for (var p = 0; p < _partitions; p++)
        {
            foreach (var entry in reads[p].Result)
            {
                if (entry.Id == _after[p])
                    continue; // XRANGE's start is inclusive
                _after[p] = entry.Id;
                using var payload = JsonDocument.Parse((byte[])entry["d"]!);
                seen(payload.RootElement.GetProperty("sequence").GetInt32());
            }
        }
    }

    public override void Dispose()
    {
        _appender.Delete();
        _readerConnection.Dispose();
        _writerConnection.Dispose();
    }
}
