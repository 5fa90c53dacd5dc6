namespace Herald.Tests.LibraryA;

/// <summary>
/// The handlers one published event reached, in call order. Every event of the behaviour tests carries its own
/// trace, so tests running in parallel never see each other's calls and static handlers record without shared
/// state. A test can arrange a reaction to a handler's call (throw, cancel a token); it runs right after the
/// call is recorded, inside the handler.
/// </summary>
public sealed class CallTrace
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];
    private readonly List<(string Handler, CancellationToken Token)> _tokens = [];
    private readonly Dictionary<string, Action> _reactions = new(StringComparer.Ordinal);

    /// <summary>The handlers that recorded a call, as <c>Namespace.Type.Method</c>, in call order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate)
                return [.. _calls];
        }
    }

    /// <summary>The tokens that handlers taking one received, with the handler, in call order.</summary>
    [System.Text.Json.Serialization.JsonIgnore] // test instrumentation, not payload
    public IReadOnlyList<(string Handler, CancellationToken Token)> Tokens
    {
        get
        {
            lock (_gate)
                return [.. _tokens];
        }
    }

    /// <summary>Runs <paramref name="reaction"/> when <paramref name="handler"/> records its call.</summary>
    public CallTrace When(string handler, Action reaction)
    {
        lock (_gate)
            _reactions[handler] = reaction;
        return this;
    }

    /// <summary>Records a call of <paramref name="handler"/>, then runs the reaction arranged for it.</summary>
    public void Record(string handler)
    {
        Action? reaction;
        lock (_gate)
        {
            _calls.Add(handler);
            _reactions.TryGetValue(handler, out reaction);
        }
        reaction?.Invoke();
    }

    /// <summary>Records a call of <paramref name="handler"/> and the token it received, then runs its reaction.</summary>
    public void Record(string handler, CancellationToken token)
    {
        lock (_gate)
            _tokens.Add((handler, token));
        Record(handler);
    }
}
