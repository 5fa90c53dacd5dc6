namespace Herald.Durable;

/// <summary>The events of an <see cref="InMemoryEventLog"/>: per partition, in position order, and indexed by type.</summary>
internal sealed class InMemoryStream(Lock gate, int partitions) : IEventStream
{
    private readonly Partition[] _partitions = [.. Enumerable.Range(0, partitions).Select(_ => new Partition())];
    private readonly List<EventEnvelope> _appendOrder = [];

    public int Partitions => partitions;

    public ValueTask<IReadOnlyList<LogPosition>> AppendAsync(IReadOnlyList<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is null)
                throw new ArgumentException($"The batch holds null at index {i}.", nameof(batch));
        }
        cancellationToken.ThrowIfCancellationRequested();
        var positions = new LogPosition[batch.Count];
        lock (gate)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var number = Partitioning.PartitionOf(batch[i], partitions);
                var partition = _partitions[number];
                positions[i] = new LogPosition(number, ++partition.Last);
                var stored = batch[i].WithPosition(positions[i]);
                partition.Add(stored);
                _appendOrder.Add(stored);
            }
        }
        return ValueTask.FromResult<IReadOnlyList<LogPosition>>(positions);
    }

    public ValueTask<EventPage> ReadAsync(int partition, long afterPosition, int maxCount, IReadOnlyCollection<string>? types, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        ArgumentOutOfRangeException.ThrowIfNegative(afterPosition);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var stored = _partitions[partition];
            if (types is null)
                return ValueTask.FromResult(Page(partition, stored, Take(stored.Events, afterPosition, maxCount), maxCount));
            var merged = new List<EventEnvelope>();
            foreach (var type in types.Distinct(StringComparer.Ordinal))
            {
                if (stored.ByType.TryGetValue(type, out var ofType))
                    merged.AddRange(Take(ofType, afterPosition, maxCount));
            }
            merged.Sort(static (a, b) => a.Position.CompareTo(b.Position));
            if (merged.Count > maxCount)
                merged.RemoveRange(maxCount, merged.Count - maxCount);
            return ValueTask.FromResult(Page(partition, stored, merged, maxCount));
        }
    }

    public ValueTask<IReadOnlyList<PartitionBounds>> GetBoundsAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var bounds = new PartitionBounds[partitions];
            for (var i = 0; i < partitions; i++)
            {
                bounds[i] = _partitions[i].Bounds(i);
            }
            return ValueTask.FromResult<IReadOnlyList<PartitionBounds>>(bounds);
        }
    }

    public ValueTask<long> FindPositionAsync(int partition, DateTimeOffset time, CancellationToken cancellationToken)
    {
        CheckPartition(partition);
        cancellationToken.ThrowIfCancellationRequested();
        lock (gate)
        {
            var stored = _partitions[partition];
            foreach (var envelope in stored.Events)
            {
                if (envelope.OccurredAt >= time)
                    return ValueTask.FromResult(envelope.Position - 1);
            }
            return ValueTask.FromResult(stored.Last);
        }
    }

    /// <summary>Removes the oldest envelopes (in append order) that <paramref name="policy"/> no longer keeps.</summary>
    public long Retain(RetentionPolicy policy, DateTimeOffset now)
    {
        lock (gate)
        {
            var remove = RemovedCount(policy, now);
            if (remove == 0)
                return 0;
            var upTo = new long[partitions];
            for (var i = 0; i < remove; i++)
                upTo[_appendOrder[i].Partition] = Math.Max(upTo[_appendOrder[i].Partition], _appendOrder[i].Position);
            _appendOrder.RemoveRange(0, remove);
            for (var i = 0; i < partitions; i++)
                _partitions[i].RemoveUpTo(upTo[i]);
            return remove;
        }
    }

    /// <summary>What <see cref="Retain"/> would remove now, per partition.</summary>
    public IReadOnlyList<RetentionCut> Preview(RetentionPolicy policy, DateTimeOffset now)
    {
        lock (gate)
        {
            var remove = RemovedCount(policy, now);
            var upTo = new long[partitions];
            var counts = new long[partitions];
            for (var i = 0; i < remove; i++)
            {
                var envelope = _appendOrder[i];
                upTo[envelope.Partition] = Math.Max(upTo[envelope.Partition], envelope.Position);
                counts[envelope.Partition]++;
            }
            return [.. Enumerable.Range(0, partitions).Select(p => new RetentionCut(p, upTo[p], counts[p]))];
        }
    }

    // How many of the oldest envelopes in append order the policy removes; called under the gate.
    private int RemovedCount(RetentionPolicy policy, DateTimeOffset now)
    {
        var remove = 0;
        if (policy.MaxEvents is { } maxEvents && _appendOrder.Count > maxEvents)
            remove = (int)(_appendOrder.Count - maxEvents);
        if (policy.MaxAge is { } maxAge)
        {
            var cutoff = now - maxAge;
            var firstYoung = _appendOrder.FindIndex(e => e.OccurredAt >= cutoff);
            remove = Math.Max(remove, firstYoung < 0 ? _appendOrder.Count : firstYoung);
        }
        return remove;
    }

    /// <summary>The ids of every retained envelope.</summary>
    public HashSet<Guid> RetainedIds()
    {
        lock (gate)
            return [.. _appendOrder.Select(e => e.Id)];
    }

    private void CheckPartition(int partition)
    {
        if (partition < 0 || partition >= partitions)
            throw new ArgumentOutOfRangeException(nameof(partition), partition, $"The log has partitions 0 to {partitions - 1}.");
    }

    private static EventPage Page(int number, Partition partition, List<EventEnvelope> envelopes, int maxCount)
        => new(envelopes, partition.Bounds(number), envelopes.Count >= maxCount ? envelopes[^1].Position : partition.Last);

    private static List<EventEnvelope> Take(List<EventEnvelope> events, long afterPosition, int maxCount)
    {
        int low = 0, high = events.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (events[middle].Position <= afterPosition)
                low = middle + 1;
            else
                high = middle;
        }
        return events.GetRange(low, Math.Min(maxCount, events.Count - low));
    }

    private sealed class Partition
    {
        public long Last;

        public List<EventEnvelope> Events { get; } = [];

        public Dictionary<string, List<EventEnvelope>> ByType { get; } = new(StringComparer.Ordinal);

        public PartitionBounds Bounds(int number) => new(number, Events.Count == 0 ? Last + 1 : Events[0].Position, Last);

        public void Add(EventEnvelope envelope)
        {
            Events.Add(envelope);
            if (!ByType.TryGetValue(envelope.Type, out var ofType))
                ByType[envelope.Type] = ofType = [];
            ofType.Add(envelope);
        }

        public void RemoveUpTo(long position)
        {
            if (position == 0)
                return;
            Events.RemoveAll(e => e.Position <= position);
            foreach (var ofType in ByType.Values)
                ofType.RemoveAll(e => e.Position <= position);
        }
    }
}
