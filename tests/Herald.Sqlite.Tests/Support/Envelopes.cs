using System.Text;

namespace Herald.Sqlite.Tests.Support;

public static class Envelopes
{
    public static readonly DateTimeOffset BaseTime = new(2026, 3, 14, 9, 26, 53, TimeSpan.Zero);

    public static EventEnvelope Create(
        string type = "test.event",
        string payload = """{"n":1}""",
        DateTimeOffset? occurredAt = null,
        string? partitionKey = null,
        IReadOnlyDictionary<string, string>? headers = null,
        int version = 1)
        => new(Guid.CreateVersion7(), type, version, occurredAt ?? BaseTime, partitionKey, headers, Encoding.UTF8.GetBytes(payload));

    public static EventEnvelope[] Batch(int count, string type = "test.event")
        => Enumerable.Range(0, count).Select(i => Create(type, $$"""{"n":{{i}}}""")).ToArray();

    public static string PayloadText(EventEnvelope envelope) => Encoding.UTF8.GetString(envelope.Payload.Span);

    /// <summary>Every envelope of the log, partition by partition, each in position order.</summary>
    public static async Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(IEventLog log, long after = 0)
    {
        var all = new List<EventEnvelope>();
        for (var partition = 0; partition < log.Stream.Partitions; partition++)
        {
            var from = after;
            while (true)
            {
                var page = await log.Stream.ReadAsync(partition, from, 1000, null, CancellationToken.None);
                if (page.Envelopes.Count == 0)
                    break;
                all.AddRange(page.Envelopes);
                from = page.Envelopes[^1].Position;
            }
        }
        return all;
    }

    /// <summary>The positions an append gave, as plain numbers (one-partition logs).</summary>
    public static long[] Positions(IReadOnlyList<LogPosition> positions) => [.. positions.Select(p => p.Position)];

    /// <summary>The committed offset of <paramref name="consumer"/> in <paramref name="partition"/>; null when none.</summary>
    public static async Task<long?> OffsetAsync(IEventLog log, string consumer, int partition = 0)
        => (await log.Checkpoints.GetOffsetsAsync(consumer, CancellationToken.None)).FirstOrDefault(o => o.Partition == partition)?.Position;

    /// <summary>Takes partition <paramref name="partition"/> of <paramref name="consumer"/> for a test member.</summary>
    public static async Task<LeaseToken> LeaseAsync(IEventLog log, string consumer, int partition = 0)
        => await log.Leases.TryAcquireAsync(consumer, partition, "test-member", DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5), CancellationToken.None)
           ?? throw new InvalidOperationException("the partition is taken");
}
