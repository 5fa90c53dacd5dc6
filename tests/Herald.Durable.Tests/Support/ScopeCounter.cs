using System.Diagnostics.Tracing;

namespace Herald.Durable.Tests;

/// <summary>
/// Counts the service scopes disposed by one service provider, from the events Microsoft.Extensions.DependencyInjection
/// writes (its event source's <c>ScopeDisposed</c>, which carries the root provider's hash code). Lets a test see
/// whether Herald created a scope, without wrapping or replacing the container.
/// </summary>
public sealed class ScopeCounter : EventListener
{
    private const string SourceName = "Microsoft-Extensions-DependencyInjection";
    private const int ScopeDisposedEventId = 5;

    private readonly int _providerHash;
    private int _disposed;

    // The base constructor offers every existing source to OnEventSourceCreated (enabling it) before this body runs;
    // no event is counted before the hash is set because none of this provider's scopes is disposed in between.
    public ScopeCounter(IServiceProvider provider) => _providerHash = provider.GetHashCode();

    /// <summary>Scopes of the provider disposed since this counter was created.</summary>
    public int Disposed => Volatile.Read(ref _disposed);

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == SourceName)
            EnableEvents(eventSource, EventLevel.Verbose);
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.EventId == ScopeDisposedEventId && eventData.Payload is [int hash, ..] && hash == _providerHash)
            Interlocked.Increment(ref _disposed);
    }
}
