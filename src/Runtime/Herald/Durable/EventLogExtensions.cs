namespace Herald.Durable;

/// <summary>Conveniences over <see cref="IEventLog"/> that every log gets from its batch handling.</summary>
public static class EventLogExtensions
{
    /// <summary>
    /// Opens the unit of work in which <paramref name="consumer"/> handles <paramref name="envelope"/> alone: a batch of
    /// one whose scope commits the inbox mark and the offset as soon as it completes (tools, tests, and code that
    /// handles envelopes one by one; durable consumers handle a whole read batch).
    /// </summary>
    /// <param name="log">The log.</param>
    /// <param name="consumer">The consumer.</param>
    /// <param name="envelope">An envelope read from <paramref name="log"/>.</param>
    /// <param name="cancellationToken">Cancels opening the scope.</param>
    public static async ValueTask<IHandlingScope> BeginHandlingAsync(
        this IEventLog log, string consumer, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(envelope);
        var batch = await log.BeginHandlingAsync(consumer, [envelope], cancellationToken).ConfigureAwait(false);
        try
        {
            return new SingleEnvelopeScope(batch, await batch.BeginAsync(envelope, cancellationToken).ConfigureAwait(false));
        }
        catch
        {
            await batch.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
