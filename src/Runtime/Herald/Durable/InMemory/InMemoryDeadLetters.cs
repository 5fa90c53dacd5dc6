namespace Herald.Durable;

/// <summary>The dead letters of an <see cref="InMemoryEventLog"/>.</summary>
internal sealed class InMemoryDeadLetters(Lock gate) : IDeadLetterStore
{
    private readonly SortedDictionary<long, DeadLetter> _letters = [];
    private long _lastId;

    public ValueTask<IReadOnlyList<DeadLetter>> ListAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        lock (gate)
        {
            IReadOnlyList<DeadLetter> page = [.. _letters.Values.Where(l => l.Id > query.AfterId && query.Matches(l)).Take(query.MaxCount)];
            return ValueTask.FromResult(page);
        }
    }

    public ValueTask<long> CountAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        lock (gate)
            return ValueTask.FromResult((long)_letters.Values.Count(query.Matches));
    }

    public ValueTask<DeadLetter?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (gate)
            return ValueTask.FromResult(_letters.GetValueOrDefault(id));
    }

    public ValueTask<bool> DeleteAsync(long id, CancellationToken cancellationToken)
    {
        lock (gate)
            return ValueTask.FromResult(_letters.Remove(id));
    }

    public ValueTask<long> PurgeAsync(DeadLetterQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        query.Validate();
        lock (gate)
        {
            var ids = _letters.Values.Where(query.Matches).Select(l => l.Id).ToArray();
            foreach (var id in ids)
                _letters.Remove(id);
            return ValueTask.FromResult((long)ids.Length);
        }
    }

    /// <summary>Stores a letter (caller holds the gate) and returns its id.</summary>
    public long Add(DeadLetter letter)
    {
        var stored = letter with { Id = ++_lastId };
        _letters[stored.Id] = stored;
        return stored.Id;
    }

    /// <summary>The envelope ids of every dead letter.</summary>
    public HashSet<Guid> Ids()
    {
        lock (gate)
            return [.. _letters.Values.Select(l => l.Envelope.Id)];
    }
}
