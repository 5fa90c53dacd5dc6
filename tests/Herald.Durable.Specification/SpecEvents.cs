namespace Herald.Durable.Specification;

/// <summary>An event of the specification's consumer tests: one key, one sequence per key.</summary>
[Event("spec.order-noted")]
public sealed record SpecOrderNoted([property: PartitionKey] string Key, int Sequence);

/// <summary>
/// An event whose own code refuses some payloads: an amount below zero, which an older publisher accepted. Building it
/// from such a payload throws <see cref="NegativeAmountException"/>, as a user's validated record would.
/// </summary>
[Event("spec.amount-noted")]
public sealed record SpecAmountNoted
{
    public SpecAmountNoted(string key, int amount)
    {
        if (amount < 0)
            throw new NegativeAmountException(amount);
        Key = key;
        Amount = amount;
    }

    [PartitionKey]
    public string Key { get; }

    public int Amount { get; }
}

/// <summary>The exception type the event's own constructor throws.</summary>
public sealed class NegativeAmountException(int amount) : Exception($"An amount cannot be negative; got {amount}.")
{
    public NegativeAmountException()
        : this(-1)
    {
    }

    public NegativeAmountException(string message)
        : this(-1)
    {
        _ = message;
    }

    public NegativeAmountException(string message, Exception innerException)
        : this(-1)
    {
        _ = (message, innerException);
    }
}

/// <summary>What the specification's durable handlers received, with the member that handled it.</summary>
public sealed class SpecDeliveries
{
    private readonly Lock _gate = new();
    private readonly List<(string Consumer, string Member, int Partition, object Event)> _received = [];
    private readonly List<(Func<bool> Reached, TaskCompletionSource Done)> _waiters = [];

    public void Record(string consumer, object @event)
    {
        var context = DurableContext.Current!;
        lock (_gate)
        {
            _received.Add((consumer, context.Member, context.Envelope.Partition, @event));
            foreach (var waiter in _waiters.Where(w => w.Reached()).ToArray())
            {
                waiter.Done.TrySetResult();
                _waiters.Remove(waiter);
            }
        }
    }

    public int Count(string consumer)
    {
        lock (_gate)
            return _received.Count(r => r.Consumer == consumer);
    }

    public IReadOnlyList<(string Member, int Partition, T Event)> Of<T>(string consumer)
    {
        lock (_gate)
            return [.. _received.Where(r => r.Consumer == consumer && r.Event is T).Select(r => (r.Member, r.Partition, (T)r.Event))];
    }

    public async Task WaitForAsync(string consumer, int count, TimeSpan timeout)
    {
        TaskCompletionSource done;
        lock (_gate)
        {
            bool Reached() => _received.Count(r => r.Consumer == consumer) >= count;
            if (Reached())
                return;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((Reached, done));
        }
        try
        {
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_gate)
                throw new TimeoutException($"{consumer} received {_received.Count(r => r.Consumer == consumer)} of {count} events within {timeout}.");
        }
    }
}

/// <summary>The specification's durable consumers.</summary>
public sealed class SpecHandlers(SpecDeliveries deliveries)
{
    [Subscribe(Consumer = "spec-orders")]
    public void Order(SpecOrderNoted e) => deliveries.Record("spec-orders", e);

    [Subscribe(Consumer = "spec-amounts")]
    public void Amount(SpecAmountNoted e) => deliveries.Record("spec-amounts", e);
}
