namespace Herald.Tests.Support;

/// <summary>
/// Registered as a singleton in one test's provider: the handler instances (and their dependency) that handled
/// each call, in call order.
/// </summary>
public sealed class InstanceLog
{
    private readonly Lock _gate = new();
    private readonly List<(object Handler, DisposalProbe? Dependency)> _entries = [];

    public IReadOnlyList<(object Handler, DisposalProbe? Dependency)> Entries
    {
        get
        {
            lock (_gate)
                return [.. _entries];
        }
    }

    public void Add(object handler, DisposalProbe? dependency = null)
    {
        lock (_gate)
            _entries.Add((handler, dependency));
    }
}
