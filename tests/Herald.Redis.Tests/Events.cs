namespace Herald.Redis.Tests;

/// <summary>The durable event of the Redis tests that run Herald's consumers: one key, one sequence per key.</summary>
[Event("redis-test.noted")]
public sealed record Noted([property: PartitionKey] string Key, int Sequence);

/// <summary>What consumer "redis-noted" received; a test waits for a count.</summary>
public sealed class Received
{
    private readonly Lock _gate = new();
    private readonly List<Noted> _events = [];
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public IReadOnlyList<Noted> Events
    {
        get
        {
            lock (_gate)
                return [.. _events];
        }
    }

    public void Add(Noted noted)
    {
        lock (_gate)
        {
            _events.Add(noted);
            foreach (var waiter in _waiters.Where(w => _events.Count >= w.Count).ToArray())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public async Task WaitForAsync(int count, TimeSpan timeout)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            if (_events.Count >= count)
                return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"redis-noted received {Events.Count} of {count} events within {timeout}.");
        }
    }
}

/// <summary>Consumer "redis-noted".</summary>
public sealed class NotedHandler(Received received)
{
    [Subscribe(Consumer = "redis-noted")]
    public void On(Noted noted) => received.Add(noted);
}
