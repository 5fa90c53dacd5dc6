using System.Text;
using Microsoft.Extensions.Time.Testing;

namespace Herald.Durable.Specification;

/// <summary>
/// The contract of <see cref="IEventLog"/> (its remarks), as tests: every implementation's test project derives one
/// class from this and supplies <see cref="CreateLogAsync"/>. The tests use the log directly (stream, checkpoints,
/// leases, dead letters, retention) and through Herald's own consumers (<c>DurableConsumers</c>), with time from a
/// <see cref="FakeTimeProvider"/> where leases or retention depend on it.
/// </summary>
public abstract partial class EventLogSpecification : IAsyncLifetime
{
    private readonly List<IEventLog> _logs = [];

    /// <summary>A fixed start time for the fake clock (leases, retention).</summary>
    protected static readonly DateTimeOffset Start = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    /// <summary>The fake clock of the test.</summary>
    protected FakeTimeProvider Time { get; } = new(Start);

    /// <summary>
    /// Creates a new, empty log with <paramref name="partitions"/> partitions, isolated from every other log the test
    /// class creates (a new file, schema or key prefix). The specification disposes it.
    /// </summary>
    protected abstract ValueTask<IEventLog> CreateLogAsync(int partitions);

    /// <summary>A new empty log, disposed at the end of the test.</summary>
    protected async Task<IEventLog> NewLogAsync(int partitions = 4)
    {
        var log = await CreateLogAsync(partitions);
        lock (_logs)
            _logs.Add(log);
        return log;
    }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        IEventLog[] logs;
        lock (_logs)
            logs = [.. _logs];
        foreach (var log in logs)
            await log.DisposeAsync();
    }

    /// <summary>An envelope of <paramref name="type"/> with <paramref name="key"/> and a small JSON payload.</summary>
    protected static EventEnvelope Envelope(string type = "spec.event", string? key = null, string payload = """{"n":1}""", DateTimeOffset? occurredAt = null,
        IReadOnlyDictionary<string, string>? headers = null, int version = 1)
        => new(Guid.CreateVersion7(), type, version, occurredAt ?? Start, key, headers, Encoding.UTF8.GetBytes(payload));

    /// <summary>A key whose partition in a log of <paramref name="partitions"/> partitions is <paramref name="partition"/>.</summary>
    protected static string KeyIn(int partition, int partitions, int index = 0)
    {
        var found = 0;
        for (var i = 0; ; i++)
        {
            var key = $"key-{i}";
            if (Partitioning.PartitionOf(key, partitions) == partition && found++ == index)
                return key;
        }
    }

    /// <summary>Every envelope of <paramref name="partition"/> after <paramref name="after"/>, in order.</summary>
    protected static async Task<List<EventEnvelope>> ReadAllAsync(IEventLog log, int partition, long after = 0, IReadOnlyCollection<string>? types = null)
    {
        var all = new List<EventEnvelope>();
        while (true)
        {
            var page = await log.Stream.ReadAsync(partition, after, 100, types, CancellationToken.None);
            all.AddRange(page.Envelopes);
            if (page.Envelopes.Count == 0 || page.ScannedTo <= after)
                return all;
            after = page.ScannedTo;
        }
    }

    /// <summary>Takes the lease of (<paramref name="consumer"/>, <paramref name="partition"/>) for <paramref name="owner"/>.</summary>
    protected async Task<LeaseToken> AcquireAsync(IEventLog log, string consumer, int partition, string owner = "member-a", TimeSpan? duration = null)
        => await log.Leases.TryAcquireAsync(consumer, partition, owner, Time.GetUtcNow(), duration ?? TimeSpan.FromSeconds(15), CancellationToken.None)
           ?? throw new InvalidOperationException($"{owner} could not take partition {partition} of {consumer}.");

    /// <summary>The committed offset of (<paramref name="consumer"/>, <paramref name="partition"/>); null when none.</summary>
    protected static async Task<long?> OffsetAsync(IEventLog log, string consumer, int partition)
        => (await log.Checkpoints.GetOffsetsAsync(consumer, CancellationToken.None)).FirstOrDefault(o => o.Partition == partition)?.Position;

    /// <summary>The text of an envelope's payload.</summary>
    protected static string Text(EventEnvelope envelope) => Encoding.UTF8.GetString(envelope.Payload.Span);
}
