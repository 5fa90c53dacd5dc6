using System.Threading.Tasks.Sources;

namespace Herald.Benchmarks.Peers;

/// <summary>
/// What the "async handlers" benchmarks await: a wait that is really pending when the handler reaches it, so every
/// layer of the library under test (its dispatcher, its state machines, its continuations) has to suspend and
/// resume, and that the benchmark thread itself completes, so no thread pool, timer or scheduler is measured.
/// </summary>
/// <remarks>
/// A handler calls <see cref="WaitAsync"/>; the benchmark calls the library's publish, which returns a pending task,
/// then <see cref="RunUntilCompleted(ValueTask)"/>, which completes the pending waits one round at a time. Their
/// continuations run inline on the benchmark thread (no synchronization context, continuations not forced to be
/// asynchronous), which resumes the handler, then the library, which calls the next handler, which waits again.
/// Waiters are pooled and reused, so the gate allocates nothing per publish: what the table shows as allocated is
/// the handlers' and the library's own state machines. Single-threaded by design: the setup checks that every
/// library keeps the handlers on the publishing thread (a wait that no round releases fails the run).
/// </remarks>
public sealed class ResumeGate
{
    /// <summary>The gate the async handlers of every library wait on.</summary>
    public static readonly ResumeGate Shared = new();

    private readonly Stack<Waiter> _free = new();
    private List<Waiter> _pending = [];
    private List<Waiter> _releasing = [];

    /// <summary>A wait that completes in the next round of <see cref="RunUntilCompleted(ValueTask)"/>.</summary>
    public ValueTask WaitAsync()
    {
        var waiter = _free.Count > 0 ? _free.Pop() : new Waiter(this);
        _pending.Add(waiter);
        return new ValueTask(waiter, waiter.Version);
    }

    /// <summary>Releases pending waits until <paramref name="publish"/> completes, then observes its result.</summary>
    public void RunUntilCompleted(ValueTask publish)
    {
        while (!publish.IsCompleted)
            ReleaseRound();
        publish.GetAwaiter().GetResult();
    }

    /// <summary>Releases pending waits until <paramref name="publish"/> completes, then observes its result.</summary>
    public void RunUntilCompleted(Task publish)
    {
        while (!publish.IsCompleted)
            ReleaseRound();
        publish.GetAwaiter().GetResult();
    }

    private void ReleaseRound()
    {
        if (_pending.Count == 0)
        {
            throw new InvalidOperationException(
                "The publish is pending but no handler waits on the gate: the library moved the handlers off the " +
                "publishing thread or waits on something else, so this benchmark would not measure what it says.");
        }

        // Continuations run inline and wait again: they add to the other list while this one is walked.
        (_pending, _releasing) = (_releasing, _pending);
        foreach (var waiter in _releasing)
            waiter.Release();
        _releasing.Clear();
    }

    private sealed class Waiter(ResumeGate gate) : IValueTaskSource
    {
        private ManualResetValueTaskSourceCore<bool> _core;

        public short Version => _core.Version;

        public void Release() => _core.SetResult(true);

        public void GetResult(short token)
        {
            _core.GetResult(token);
            _core.Reset();
            gate._free.Push(this);
        }

        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);

        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }
}
