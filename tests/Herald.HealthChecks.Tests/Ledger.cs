namespace Herald.HealthChecks.Tests;

/// <summary>A durable event keyed by account.</summary>
[Event("ledger.entry-posted")]
public sealed record EntryPosted([property: PartitionKey] string Account, int Sequence);

/// <summary>
/// The durable consumer <c>ledger</c>. Its gate lets a test hold it inside a handler (so events pile up behind it);
/// the gate is open unless a test closes it.
/// </summary>
public sealed class Ledger
{
    private TaskCompletionSource _gate = Open();

    /// <summary>Completes when a handler is waiting at the closed gate.</summary>
    public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Close() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => _gate.TrySetResult();

    [Subscribe(Consumer = "ledger")]
    public async Task Post(EntryPosted entry, CancellationToken cancellationToken)
    {
        var gate = _gate;
        if (!gate.Task.IsCompleted)
            Entered.TrySetResult();
        await gate.Task.WaitAsync(cancellationToken);
    }

    private static TaskCompletionSource Open()
    {
        var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        open.SetResult();
        return open;
    }
}
