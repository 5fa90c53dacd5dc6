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

    public static async Task<IReadOnlyList<EventEnvelope>> ReadAllAsync(IEventLog log, long after = 0)
    {
        var all = new List<EventEnvelope>();
        while (true)
        {
            var batch = await log.ReadAsync(after, 1000, CancellationToken.None);
            if (batch.Count == 0)
                return all;
            all.AddRange(batch);
            after = batch[^1].Position;
        }
    }
}
