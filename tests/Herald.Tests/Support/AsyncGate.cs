namespace Herald.Tests.Support;

/// <summary>
/// Registered as a singleton in one test's provider: a handler returns <see cref="Task"/>, which completes only
/// when the test opens the gate, so the test controls when a handler finishes.
/// </summary>
public sealed class AsyncGate
{
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Task => _opened.Task;

    public void Open() => _opened.SetResult();
}
