namespace Herald.Postgres.Tests.Support;

/// <summary>What the handlers of one test's provider received, per consumer, in order, with a way to wait for it.</summary>
public sealed class DeliveryLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<object>> _byConsumer = new(StringComparer.Ordinal);
    private readonly List<(Func<bool> Condition, TaskCompletionSource Done)> _waiters = [];

    public void Record(string consumer, object @event)
    {
        lock (_gate)
        {
            if (!_byConsumer.TryGetValue(consumer, out var list))
                _byConsumer[consumer] = list = [];
            list.Add(@event);
            foreach (var waiter in _waiters.Where(w => w.Condition()).ToArray())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public IReadOnlyList<T> Of<T>(string consumer)
    {
        lock (_gate)
            return _byConsumer.TryGetValue(consumer, out var list) ? list.OfType<T>().ToArray() : [];
    }

    public int Count(string consumer)
    {
        lock (_gate)
            return _byConsumer.TryGetValue(consumer, out var list) ? list.Count : 0;
    }

    /// <summary>Completes when <paramref name="consumer"/> has received at least <paramref name="count"/> events; fails after the timeout.</summary>
    public async Task WaitForAsync(string consumer, int count, TimeSpan? timeout = null)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            bool Reached() => _byConsumer.TryGetValue(consumer, out var list) && list.Count >= count;
            if (Reached())
                return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Reached, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{consumer} received {Count(consumer)} of {count} events before the timeout.");
        }
    }
}
