namespace Herald.Benchmarks.Wolverine;

/// <summary>
/// Counts the orders a handler (Herald's durable consumer or Wolverine's handler) saw, and says when the expected
/// number arrived. One per benchmark run; both sides register the same instance.
/// </summary>
public sealed class HandledCounter
{
    private int _count;
    private int _expected = int.MaxValue;
    private TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when <see cref="Expect"/>'s number of orders has been handled since it was called.</summary>
    public Task Done => _done.Task;

    /// <summary>Starts counting from zero towards <paramref name="expected"/>.</summary>
    public void Expect(int expected)
    {
        _done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _expected, expected);
        Volatile.Write(ref _count, 0);
    }

    public void Handled()
    {
        if (Interlocked.Increment(ref _count) == Volatile.Read(ref _expected))
            _done.TrySetResult();
    }

    /// <summary>Waits for <see cref="Done"/>, and says how far it got when it does not come.</summary>
    public async Task WaitAsync(string side, TimeSpan timeout)
    {
        try
        {
            await Done.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException($"{side}: {Count} of {_expected} orders were handled within {timeout.TotalSeconds:0} s.");
        }
    }
}
