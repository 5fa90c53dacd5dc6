using System.Collections.Concurrent;

namespace Herald.Durable.Tests;

/// <summary>Makes handlers fail on purpose: always for poison events, or for the first N attempts.</summary>
public sealed class FaultPlan
{
    private readonly ConcurrentDictionary<(string, Guid), int> _attempts = new();
    private readonly ConcurrentDictionary<Guid, int> _failFirst = new();
    private readonly ConcurrentDictionary<Guid, bool> _poison = new();

    public bool InlineFails { get; set; }

    /// <summary>Called at the start of every durable attempt (consumer, event id, attempt number), before any fault.</summary>
    public Action<string, Guid, int>? OnAttempt { get; set; }

    public void Poison(Guid id) => _poison[id] = true;

    public void Cure(Guid id) => _poison.TryRemove(id, out _);

    public void FailFirst(Guid id, int attempts) => _failFirst[id] = attempts;

    public int AttemptsOf(string consumer, Guid id) => _attempts.TryGetValue((consumer, id), out var n) ? n : 0;

    public void Attempt(string consumer, Guid id)
    {
        var attempt = _attempts.AddOrUpdate((consumer, id), 1, (_, n) => n + 1);
        OnAttempt?.Invoke(consumer, id, attempt);
        if (_poison.ContainsKey(id))
            throw new InvalidOperationException($"poison event {id}");
        if (_failFirst.TryGetValue(id, out var failures) && attempt <= failures)
            throw new TimeoutException($"transient failure {attempt} of {failures} for {id}");
    }
}
