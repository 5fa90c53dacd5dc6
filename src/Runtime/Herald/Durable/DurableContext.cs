using Herald.Durable;

namespace Herald;

/// <summary>
/// What a durable handler is delivering: the envelope, the consumer, the attempt, and the log's transaction for
/// handlers that write to the same store (SQLite: <c>(SqliteTransaction)DurableContext.Current!.Transaction!</c>),
/// whose writes then commit together with the inbox mark and the offset. Null outside a durable delivery.
/// </summary>
public sealed class DurableContext
{
    private static readonly AsyncLocal<DurableContext?> s_current = new();

    private readonly IHandlingScope? _scope;

    internal DurableContext(string consumer, EventEnvelope envelope, int attempt, IHandlingScope? scope)
    {
        Consumer = consumer;
        Envelope = envelope;
        Attempt = attempt;
        _scope = scope;
    }

    /// <summary>The delivery in progress on this async flow; null outside one.</summary>
    public static DurableContext? Current => s_current.Value;

    /// <summary>The consumer.</summary>
    public string Consumer { get; }

    /// <summary>The event as stored.</summary>
    public EventEnvelope Envelope { get; }

    /// <summary>1 for the first attempt.</summary>
    public int Attempt { get; }

    /// <summary>
    /// The log's transaction for this delivery (see <see cref="IHandlingScope.Transaction"/>); null when the log has
    /// none. Opened by the first access: a handler that never reads it costs no transaction of its own, and one that
    /// does holds the log's write lock until the delivery completes (keep that part short).
    /// </summary>
    public object? Transaction => _scope?.Transaction;

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
