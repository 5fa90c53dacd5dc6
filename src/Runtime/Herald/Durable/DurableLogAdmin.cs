namespace Herald.Durable;

/// <summary>
/// Operations on the durable log for tools and operators: consumer offsets and lag, replay by position or time, and
/// dead letters (list, replay, purge). Resolve it from the service provider after <c>AddHerald</c>.
/// </summary>
public sealed class DurableLogAdmin
{
    private readonly DurableRuntime _runtime;

    internal DurableLogAdmin(DurableRuntime runtime) => _runtime = runtime;

    /// <summary>The log.</summary>
    public IEventLog Log => _runtime.Log;

    /// <summary>The file where events that could not be appended were written.</summary>
    public string AppendDeadLetterFile => _runtime.DeadLetters.Path;

    /// <summary>How many events <paramref name="consumer"/> has not handled yet (0 when it is caught up).</summary>
    public async ValueTask<long> GetLagAsync(string consumer, CancellationToken cancellationToken = default)
    {
        var bounds = await Log.GetBoundsAsync(cancellationToken).ConfigureAwait(false);
        var offset = await Log.GetOffsetAsync(consumer, cancellationToken).ConfigureAwait(false) ?? bounds.First - 1;
        return Math.Max(0, bounds.Last - offset);
    }

    /// <summary>Moves <paramref name="consumer"/> so that its next event is the one after <paramref name="position"/>.</summary>
    public ValueTask MoveOffsetAsync(string consumer, long position, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumer);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        return Log.SetOffsetAsync(consumer, position, cancellationToken);
    }

    /// <summary>Moves <paramref name="consumer"/> so that it replays every event that occurred at or after <paramref name="time"/>.</summary>
    public async ValueTask<long> MoveOffsetToTimeAsync(string consumer, DateTimeOffset time, CancellationToken cancellationToken = default)
    {
        var position = await Log.FindPositionAsync(time, cancellationToken).ConfigureAwait(false);
        await MoveOffsetAsync(consumer, position, cancellationToken).ConfigureAwait(false);
        return position;
    }

    /// <summary>Dead letters, oldest first; only <paramref name="consumer"/>'s when given.</summary>
    public ValueTask<IReadOnlyList<DeadLetter>> ListDeadLettersAsync(string? consumer = null, int maxCount = 100, CancellationToken cancellationToken = default)
        => Log.ListDeadLettersAsync(consumer, maxCount, cancellationToken);

    /// <summary>
    /// Appends a dead-lettered event again (same id, new position) and removes the letter: every consumer that has not
    /// handled it receives it (consumers that did have its id in their inbox and skip it).
    /// </summary>
    /// <returns>False when there is no dead letter with that id.</returns>
    public async ValueTask<bool> ReplayDeadLetterAsync(long id, CancellationToken cancellationToken = default)
    {
        var letters = await Log.ListDeadLettersAsync(null, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var letter = letters.FirstOrDefault(l => l.Id == id);
        if (letter is null)
            return false;
        var envelope = new EventEnvelope(letter.Envelope.Id, letter.Envelope.Type, letter.Envelope.Version, letter.Envelope.OccurredAt,
            letter.Envelope.PartitionKey, letter.Envelope.Headers, letter.Envelope.Payload);
        await _runtime.Writer.AppendAsync(envelope, Durability.Persisted, cancellationToken).ConfigureAwait(false);
        await Log.DeleteDeadLetterAsync(id, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>Removes dead letters (only <paramref name="consumer"/>'s when given); returns how many.</summary>
    public async ValueTask<int> PurgeDeadLettersAsync(string? consumer = null, CancellationToken cancellationToken = default)
    {
        var letters = await Log.ListDeadLettersAsync(consumer, int.MaxValue, cancellationToken).ConfigureAwait(false);
        var removed = 0;
        foreach (var letter in letters)
        {
            if (await Log.DeleteDeadLetterAsync(letter.Id, cancellationToken).ConfigureAwait(false))
                removed++;
        }
        return removed;
    }
}
