using System.Data.Common;

namespace Herald.Durable;

/// <summary>
/// The app's transaction that the durable publishes of the current async flow join (<c>bus.Enlist</c>): kept in an
/// <see cref="AsyncLocal{T}"/>, so publishes made by the code that enlisted, and by what it awaits, append through it;
/// other flows are not affected.
/// </summary>
internal sealed class Enlistment
{
    private static readonly AsyncLocal<Enlistment?> s_current = new();

    private Enlistment(EventBus bus, DbTransaction transaction, ITransactionalStream stream, Enlistment? previous)
    {
        Bus = bus;
        Transaction = transaction;
        Stream = stream;
        Previous = previous;
    }

    public EventBus Bus { get; }

    public DbTransaction Transaction { get; }

    public ITransactionalStream Stream { get; }

    private Enlistment? Previous { get; }

    /// <summary>The enlistment of <paramref name="bus"/> on this flow; null when its publishes go to the log writer.</summary>
    public static Enlistment? For(EventBus bus)
    {
        for (var enlistment = s_current.Value; enlistment is not null; enlistment = enlistment.Previous)
        {
            if (ReferenceEquals(enlistment.Bus, bus))
                return enlistment;
        }
        return null;
    }

    /// <summary>Makes the durable publishes of <paramref name="bus"/> on this flow join <paramref name="transaction"/>.</summary>
    public static IDisposable Enter(EventBus bus, DbTransaction transaction)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        if (transaction.Connection is null)
            throw new ArgumentException("The transaction is already committed or rolled back (it has no connection): enlist an open transaction.", nameof(transaction));
        var log = bus.Durable.Log;
        if (log.Stream is not ITransactionalStream stream)
            throw new NotSupportedException(
                $"The {log.Transport} log cannot append in the app's transaction: it has no transactions. Publish after your " +
                "transaction commits instead (at least once: a crash between the two loses the event unless you publish again " +
                "on recovery), or use a transport with a transactional outbox (Sqlite, Postgres).");
        stream.CheckTransaction(transaction);
        var previous = s_current.Value;
        var enlistment = new Enlistment(bus, transaction, stream, previous);
        s_current.Value = enlistment;
        return new Scope(enlistment);
    }

    /// <summary>Appends <paramref name="envelope"/> in the enlisted transaction.</summary>
    public async ValueTask AppendAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (Transaction.Connection is null)
            throw new InvalidOperationException(
                "The enlisted transaction is already committed or rolled back: publish before you commit, inside the using block of Enlist.");
        await Stream.AppendAsync([envelope], Transaction, cancellationToken).ConfigureAwait(false);
        HeraldTelemetry.Published.Add(1);
        if (Bus.Durable.Observers.Any)
            Bus.Durable.Observers.Published(envelope, enlisted: true);
    }

    private sealed class Scope(Enlistment enlistment) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed)
                return;
            _disposed = true;
            // Scopes end in the order they began on this flow; an out-of-order end restores what was current before it.
            s_current.Value = ReferenceEquals(s_current.Value, enlistment) ? enlistment.Previous : s_current.Value;
        }
    }
}
