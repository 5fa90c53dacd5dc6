using System.Data.Common;
using Herald.Durable;

namespace Herald;

/// <summary>
/// What a durable handler is delivering: the envelope, the consumer, the attempt, and the log's transaction for
/// handlers that write to the same store (<see cref="GetTransactionAsync"/>), whose writes then commit together with
/// the inbox mark and the offset. Null outside a durable delivery.
/// </summary>
public sealed class DurableContext
{
    private static readonly AsyncLocal<DurableContext?> s_current = new();

    private readonly HandlingScope? _scope;

    internal DurableContext(string consumer, string member, EventEnvelope envelope, int attempt, HandlingScope? scope)
    {
        Consumer = consumer;
        Member = member;
        Envelope = envelope;
        Attempt = attempt;
        _scope = scope;
    }

    /// <summary>The delivery in progress on this async flow; null outside one.</summary>
    public static DurableContext? Current => s_current.Value;

    /// <summary>The consumer.</summary>
    public string Consumer { get; }

    /// <summary>This instance's id in the consumer's group (<see cref="HeraldOptions.InstanceId"/>): who handled it.</summary>
    public string Member { get; }

    /// <summary>The event as stored (with its partition and position).</summary>
    public EventEnvelope Envelope { get; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; }

    /// <summary>
    /// The log's transaction for this delivery: a <c>SqliteTransaction</c> on the SQLite log, an
    /// <c>NpgsqlTransaction</c> on PostgreSQL; null when the log has none (in-memory, Redis). The first call opens it
    /// (asynchronously: on SQLite it waits for the log's write lock, which it then holds until the delivery
    /// completes, so keep that part short and never await a <c>Persisted</c> publish in it); later calls return the
    /// same transaction. When the handler returns, its writes commit with the event's inbox mark and the consumer's
    /// offset, so the event is never applied twice; when it throws, they roll back. A handler that never calls it costs
    /// no transaction of its own.
    /// </summary>
    public ValueTask<DbTransaction?> GetTransactionAsync(CancellationToken cancellationToken = default)
        => _scope is null ? ValueTask.FromResult<DbTransaction?>(null) : _scope.GetTransactionAsync(cancellationToken);

    internal static Scope Enter(DurableContext context)
    {
        var previous = s_current.Value;
        s_current.Value = context;
        return new Scope(previous);
    }

    internal readonly struct Scope(DurableContext? previous) : IDisposable
    {
        public void Dispose() => s_current.Value = previous;
    }
}
