using System.Collections.Concurrent;

namespace Herald.Postgres.Tests.Support;

/// <summary>Makes handlers fail on purpose: always for a poison event.</summary>
public sealed class FaultPlan
{
    private readonly ConcurrentDictionary<Guid, bool> _poison = new();
    private readonly ConcurrentDictionary<(string, Guid), int> _attempts = new();

    public void Poison(Guid id) => _poison[id] = true;

    public int AttemptsOf(string consumer, Guid id) => _attempts.TryGetValue((consumer, id), out var n) ? n : 0;

    /// <summary>Called at the start of every durable attempt; throws for a poison event.</summary>
    public void Attempt(string consumer, Guid id)
    {
        _attempts.AddOrUpdate((consumer, id), 1, (_, n) => n + 1);
        if (_poison.ContainsKey(id))
            throw new InvalidOperationException($"poison event {id}");
    }
}
